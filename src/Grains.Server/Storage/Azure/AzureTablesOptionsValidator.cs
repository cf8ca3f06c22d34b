using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;

namespace Grains.Server.Storage.Azure;

/// <summary>
/// Checks <see cref="AzureTablesOptions"/> before a silo is built: an account to connect to, and table
/// names Azure accepts. Each failure names the setting to change, never the connection string's value.
/// </summary>
public sealed partial class AzureTablesOptionsValidator : IValidateOptions<AzureTablesOptions>
{
    /// <summary>Why the options were needed, for the messages (e.g. "Grains:Storage:Provider is 'azure'").</summary>
    private readonly string _requiredBy;

    /// <summary>Creates a validator whose messages say the options are needed because of <paramref name="requiredBy"/>.</summary>
    public AzureTablesOptionsValidator(string requiredBy = "Azure Table storage is configured")
    {
        _requiredBy = requiredBy;
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AzureTablesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            if (options.ServiceUri is null)
            {
                failures.Add(
                    $"{_requiredBy} but no storage account is set: set the connection string ConnectionStrings:{AzureTablesOptions.ConnectionStringName} " +
                    $"(ConnectionStrings__{AzureTablesOptions.ConnectionStringName}=\"DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net\"), " +
                    $"or {AzureTablesOptions.Section}:ServiceUri (https://ACCOUNT.table.core.windows.net/, signed in with DefaultAzureCredential).");
            }
            else if (!options.ServiceUri.IsAbsoluteUri || options.ServiceUri.Scheme is not ("https" or "http"))
            {
                failures.Add($"{AzureTablesOptions.Section}:ServiceUri must be an absolute http(s) URI of the account's table endpoint (was '{options.ServiceUri}').");
            }
        }
        else
        {
            try
            {
                _ = new TableServiceClient(options.ConnectionString);
            }
            catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
            {
                // The exception's message may quote the string, and with it the account key: name the setting only.
                failures.Add($"ConnectionStrings:{AzureTablesOptions.ConnectionStringName} is not a storage account connection string ({exception.GetType().Name}).");
            }
        }

        CheckTable(failures, nameof(options.GrainStateTable), options.GrainStateTable);
        CheckTable(failures, nameof(options.MembershipTable), options.MembershipTable);
        CheckTable(failures, nameof(options.RemindersTable), options.RemindersTable);
        CheckTable(failures, nameof(options.StreamCheckpointTable), options.StreamCheckpointTable);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // Azure's rule for table names: 3 to 63 letters and digits, starting with a letter.
    private static void CheckTable(List<string> failures, string option, string? table)
    {
        if (table is null || !TableName().IsMatch(table))
        {
            failures.Add($"{AzureTablesOptions.Section}:{option} must be 3 to 63 letters and digits starting with a letter (was '{table}').");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,62}$")]
    private static partial Regex TableName();
}

using Azure.Data.Tables;
using Azure.Identity;
using Orleans.Clustering.AzureStorage;
using Orleans.Configuration;
using Orleans.Reminders.AzureStorage;

namespace Grains.Server.Storage.Azure;

/// <summary>Orleans' Azure Table providers for grain state, membership and reminders, on one account.</summary>
public static class AzureTablesRegistration
{
    /// <summary>
    /// Registers Orleans' Azure Table grain storage as the <c>Default</c> storage (with the silo's
    /// <c>IGrainStorageSerializer</c>, which Orleans takes when the options name none), Azure Table
    /// membership and Azure Table reminders, each in its table of <paramref name="options"/>.
    /// </summary>
    public static ISiloBuilder UseGrainsAzureTables(this ISiloBuilder silo, AzureTablesOptions options)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(options);
        var client = CreateClient(options);
        silo.AddAzureTableGrainStorageAsDefault(storage =>
        {
            storage.TableServiceClient = client;
            storage.TableName = options.GrainStateTable;
        });
        silo.UseAzureStorageClustering(membership =>
        {
            membership.TableServiceClient = client;
            membership.TableName = options.MembershipTable;
        });
        silo.UseAzureTableReminderService(reminders =>
        {
            reminders.TableServiceClient = client;
            reminders.TableName = options.RemindersTable;
        });
        return silo;
    }

    /// <summary>
    /// The account's client: from the connection string when there is one, else from the service URI
    /// with <see cref="DefaultAzureCredential"/>. Creating it does not connect.
    /// </summary>
    public static TableServiceClient CreateClient(AzureTablesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new TableServiceClient(options.ServiceUri ?? throw new InvalidOperationException("Neither a connection string nor a service URI is set."), new DefaultAzureCredential())
            : new TableServiceClient(options.ConnectionString);
    }
}

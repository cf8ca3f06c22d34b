using Microsoft.Extensions.Options;

namespace Grains.Server.Accounts;

/// <summary>Checks <see cref="AccountsOptions"/> at start.</summary>
public sealed class AccountsOptionsValidator : IValidateOptions<AccountsOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AccountsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!AccountValidation.IsEmail(options.OwnerEmail))
        {
            failures.Add($"{AccountsOptions.Section}:OwnerEmail must be an email address (got '{options.OwnerEmail}').");
        }

        if (options.MaxFailedSignIns is < 1 or > 100)
        {
            failures.Add($"{AccountsOptions.Section}:MaxFailedSignIns must be between 1 and 100 (got {options.MaxFailedSignIns}).");
        }

        if (options.LockoutDuration < TimeSpan.FromSeconds(1) || options.LockoutDuration > TimeSpan.FromDays(1))
        {
            failures.Add($"{AccountsOptions.Section}:LockoutDuration must be between 00:00:01 and 1.00:00:00 (got {options.LockoutDuration}).");
        }

        if (options.SessionValidationInterval < TimeSpan.Zero || options.SessionValidationInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{AccountsOptions.Section}:SessionValidationInterval must be between 00:00:00 and 01:00:00 (got {options.SessionValidationInterval}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

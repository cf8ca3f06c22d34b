using MimeKit;
using Microsoft.Extensions.Options;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>Refuses <see cref="SmtpOptions"/> that cannot work, at start (never quoting the password).</summary>
public sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string S = SmtpOptions.Section;
        var failures = new List<string>();
        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"{S}:Port must be between 1 and 65535.");
        }

        if (options.Security is not ("auto" or "starttls" or "ssl" or "none"))
        {
            failures.Add($"{S}:Security must be auto, starttls, ssl or none.");
        }

        if (!MailboxAddress.TryParse(options.From, out _))
        {
            failures.Add($"{S}:From is not an email address.");
        }

        if (options.Password.Length > 0 && options.User.Length == 0)
        {
            failures.Add($"{S}:Password is set without {S}:User.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

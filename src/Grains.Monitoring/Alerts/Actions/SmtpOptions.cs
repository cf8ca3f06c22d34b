namespace Grains.Monitoring.Alerts.Actions;

/// <summary>
/// The SMTP server email alerts are sent through (configuration section <c>Grains:Alerts:Smtp</c>, e.g.
/// <c>Grains__Alerts__Smtp__Host</c>). Without a host, email deliveries are dead-lettered with the reason
/// (and can be retried through the API once it is set).
/// </summary>
public sealed class SmtpOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Grains:Alerts:Smtp";

    /// <summary>Default <see cref="Port"/>: 587, the submission port most providers expect with STARTTLS.</summary>
    public const int DefaultPort = 587;

    /// <summary>Default <see cref="From"/>.</summary>
    public const string DefaultFrom = "Grains <grains@localhost>";

    /// <summary>The SMTP host; empty: email is off. Default empty.</summary>
    public string Host { get; set; } = "";

    /// <summary>The SMTP port. Default <see cref="DefaultPort"/>.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// <c>auto</c> (TLS on 465, STARTTLS when offered elsewhere), <c>starttls</c> (required),
    /// <c>ssl</c> (TLS from the first byte) or <c>none</c> (plain text, for a local relay). Default <c>auto</c>.
    /// </summary>
    public string Security { get; set; } = "auto";

    /// <summary>The user to authenticate as; empty: no authentication. Default empty.</summary>
    public string User { get; set; } = "";

    /// <summary>The password (a secret: never logged). Default empty.</summary>
    public string Password { get; set; } = "";

    /// <summary>The sender address (<c>Name &lt;address&gt;</c> or an address). Default <see cref="DefaultFrom"/>.</summary>
    public string From { get; set; } = DefaultFrom;

    /// <summary>Prepended to every subject. Default <c>[Grains] </c>.</summary>
    public string SubjectPrefix { get; set; } = "[Grains] ";
}

using System.Net.Mail;
using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>
/// <c>mail:recipients</c> (a Grains option; Sentry mails its members, which Grains does not have yet):
/// the addresses every email alert of the project goes to, newline-separated, set with
/// <c>PUT /api/0/projects/{org}/{project}/</c> <c>{"options": {"mail:recipients": "a@example.com\nb@example.com"}}</c>.
/// <c>NotifyEmailAction</c> targets (issue owners, a team, a member) all resolve to these.
/// </summary>
public sealed class AlertRecipientsOption : NewlineListOption
{
    public static AlertRecipientsOption Instance { get; } = new();

    public override string Key => "mail:recipients";

    protected override bool LowerCase => false;

    protected override string? ValidateLine(string line) =>
        MailAddress.TryCreate(line, out var address) && address.Address == line ? null : $"'{line}' is not a valid email address.";
}

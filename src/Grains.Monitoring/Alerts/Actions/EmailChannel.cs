using System.Globalization;
using System.Net;
using System.Text;
using Grains.Monitoring.Alerts.Delivery;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>
/// Email alerts through SMTP (MailKit): HTML and plain text, to the project's <c>mail:recipients</c>. One
/// message per firing, or, when the project's digest delay is above zero, one digest for the
/// deliveries the deliverer batched. The <c>Message-ID</c> is derived from the delivery ids
/// (<see cref="AlertDeliveryIds.MessageId"/>), so a resend after a crash carries the same id.
/// </summary>
public sealed class EmailChannel(AlertPayloads payloads, IOptions<SmtpOptions> smtp) : IAlertChannel
{
    public string Kind => AlertDeliveryKinds.Email;

    public bool Batches => true;

    public async Task<AlertAttemptResult> SendAsync(AlertMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = smtp.Value;
        if (string.IsNullOrWhiteSpace(settings.Host))
        {
            return AlertAttemptResult.Unsendable($"SMTP is not configured ({SmtpOptions.Section}:Host)");
        }

        var recipients = AlertRecipientsOption.Instance.Read(message.Options);
        if (recipients.Count == 0)
        {
            return AlertAttemptResult.Unsendable("the project has no mail:recipients");
        }

        var mime = await BuildAsync(message, recipients, settings, cancellationToken).ConfigureAwait(false);
        using var client = new SmtpClient();
        try
        {
            var security = settings.Security switch
            {
                "none" => SecureSocketOptions.None,
                "ssl" => SecureSocketOptions.SslOnConnect,
                "starttls" => SecureSocketOptions.StartTls,
                _ => SecureSocketOptions.Auto,
            };
            await client.ConnectAsync(settings.Host, settings.Port, security, cancellationToken).ConfigureAwait(false);
            if (settings.User.Length > 0)
            {
                await client.AuthenticateAsync(settings.User, settings.Password, cancellationToken).ConfigureAwait(false);
            }

            var reply = await client.SendAsync(mime, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            _ = reply;
            return AlertAttemptResult.Success(250);
        }
        catch (SmtpCommandException exception)
        {
            // The server's reply code and its kind, not its text (it may quote addresses).
            return AlertAttemptResult.Failure($"SMTP {(int)exception.StatusCode} ({exception.ErrorCode})", (int)exception.StatusCode);
        }
        catch (AuthenticationException)
        {
            return AlertAttemptResult.Failure("SMTP authentication failed");
        }
        catch (Exception exception) when (exception is SmtpProtocolException or ServiceNotConnectedException or IOException or System.Net.Sockets.SocketException or SslHandshakeException)
        {
            return AlertAttemptResult.Failure($"SMTP {exception.GetType().Name}");
        }
    }

    private async Task<MimeMessage> BuildAsync(AlertMessage message, IReadOnlyList<string> recipients, SmtpOptions settings, CancellationToken cancellationToken)
    {
        var from = MailboxAddress.Parse(settings.From);
        var mime = new MimeMessage();
        mime.From.Add(from);
        foreach (var recipient in recipients)
        {
            mime.To.Add(MailboxAddress.Parse(recipient));
        }

        var ids = message.Items.Select(i => i.Delivery.Id).ToList();
        var domain = from.Domain is { Length: > 0 } d ? d : "grains.local";
        mime.MessageId = AlertDeliveryIds.MessageId(ids, domain);
        mime.Headers.Add(AlertDeliveryIds.Header, string.Join(", ", ids));
        mime.Date = message.Items[^1].Firing.FiredAt;

        var entries = new List<(string Title, string? Culprit, string Link, AlertFiring Firing)>();
        foreach (var (_, firing) in message.Items)
        {
            var issue = await payloads.IssueAsync(firing, cancellationToken).ConfigureAwait(false);
            entries.Add((issue?.Title ?? "An alert fired", issue?.Culprit, payloads.IssueUrl(message.OrganizationSlug, firing.IssueId, "alert_email"), firing));
        }

        var project = message.Project.Slug;
        mime.Subject = entries.Count == 1
            ? $"{settings.SubjectPrefix}{project.ToUpperInvariant()} - {entries[0].Title}"
            : $"{settings.SubjectPrefix}{project.ToUpperInvariant()} - {entries.Count.ToString(CultureInfo.InvariantCulture)} alerts from {string.Join(", ", entries.Select(e => e.Firing.RuleLabel).Distinct())}";

        var text = new StringBuilder();
        var html = new StringBuilder("<html><body style=\"font-family: sans-serif\">");
        html.Append(CultureInfo.InvariantCulture, $"<h2>{Encode(entries.Count == 1 ? "An alert fired" : $"{entries.Count} alerts fired")} in {Encode(message.Project.Name)}</h2><ul>");
        foreach (var (title, culprit, link, firing) in entries)
        {
            text.Append(CultureInfo.InvariantCulture, $"{title}\n");
            if (!string.IsNullOrEmpty(culprit))
            {
                text.Append(CultureInfo.InvariantCulture, $"  {culprit}\n");
            }

            text.Append(CultureInfo.InvariantCulture, $"  Rule: {firing.RuleLabel}\n  {link}\n\n");
            html.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{Encode(link)}\"><strong>{Encode(title)}</strong></a>");
            if (!string.IsNullOrEmpty(culprit))
            {
                html.Append(CultureInfo.InvariantCulture, $"<br><code>{Encode(culprit)}</code>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<br><small>Rule: {Encode(firing.RuleLabel)}</small></li>");
        }

        html.Append("</ul></body></html>");
        mime.Body = new BodyBuilder { TextBody = text.ToString(), HtmlBody = html.ToString() }.ToMessageBody();
        return mime;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

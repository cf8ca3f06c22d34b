namespace Grains.Monitoring.Filters;

/// <summary>
/// Relay's <c>error_messages</c>: a glob matches the log message (<c>logentry.formatted</c>, else
/// <c>logentry.message</c>) or any exception as <c>Type: value</c> (<c>value</c> alone without a
/// type, <c>Type</c> alone without a value).
/// </summary>
public sealed class ErrorMessagesFilter(GlobList globs) : IInboundFilter
{
    public string Reason => FilterReasons.ErrorMessage;

    public bool Matches(FilterEvent e)
    {
        if (globs.IsMatch(e.LogMessage))
        {
            return true;
        }

        foreach (var exception in e.Exceptions)
        {
            var type = FilterEvent.Text(exception["type"]) ?? "";
            var value = FilterEvent.Text(exception["value"]) ?? "";
            var message = (type.Length, value.Length) switch
            {
                (0, _) => value,
                (_, 0) => type,
                _ => $"{type}: {value}",
            };
            if (globs.IsMatch(message))
            {
                return true;
            }
        }

        return false;
    }
}

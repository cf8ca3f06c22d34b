namespace Grains.Server.Logging;

/// <summary>
/// Stands in for a logged exception whose message or text carries a credential (an exception about a
/// request may quote its URL): the same type name, message, stack trace and inner text, redacted.
/// </summary>
internal sealed class RedactedException : Exception
{
    private readonly string _text;
    private readonly string? _stackTrace;

    private RedactedException(Exception original, string text)
        : base(LogRedactor.Redact(original.Message))
    {
        _text = text;
        _stackTrace = original.StackTrace;
        HResult = original.HResult;
        Source = original.Source;
        Data["OriginalType"] = original.GetType().FullName;
    }

    public override string? StackTrace => _stackTrace;

    /// <summary>The exception itself when its text carries nothing to redact, else a redacted stand-in.</summary>
    public static Exception? Wrap(Exception? exception)
    {
        if (exception is null)
        {
            return null;
        }

        var text = exception.ToString();
        var redacted = LogRedactor.Redact(text);
        return ReferenceEquals(text, redacted) ? exception : new RedactedException(exception, redacted);
    }

    public override string ToString() => _text;
}

namespace Grains.Server.Logging;

/// <summary>A provider's logger behind <see cref="LogRedactor"/>: messages, values, scopes and exceptions redacted.</summary>
internal sealed class RedactingLogger(ILogger inner) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull =>
        state is IReadOnlyList<KeyValuePair<string, object?>> pairs
            ? inner.BeginScope(RedactedState.From(pairs, state.ToString() ?? ""))
            : inner.BeginScope(LogRedactor.RedactValue(state) ?? "");

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!inner.IsEnabled(logLevel))
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(formatter);
        var redacted = RedactedState.From(state, formatter(state, exception));
        inner.Log(logLevel, eventId, redacted, RedactedException.Wrap(exception), static (s, _) => s.Message);
    }
}

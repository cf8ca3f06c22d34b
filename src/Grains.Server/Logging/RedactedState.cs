using System.Collections;

namespace Grains.Server.Logging;

/// <summary>The state a redacting logger hands on: the redacted message and the redacted structured values.</summary>
internal sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
{
    private const string OriginalFormat = "{OriginalFormat}";

    public string Message { get; } = message;

    public int Count => values.Count;

    public KeyValuePair<string, object?> this[int index] => values[index];

    /// <summary>The state of a log call, redacted: its structured values (the message template kept) and its message.</summary>
    public static RedactedState From<TState>(TState state, string message)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> pairs)
        {
            return new RedactedState(LogRedactor.Redact(message), []);
        }

        var values = new KeyValuePair<string, object?>[pairs.Count];
        for (var i = 0; i < pairs.Count; i++)
        {
            var pair = pairs[i];
            values[i] = pair.Key == OriginalFormat ? pair : new(pair.Key, LogRedactor.RedactValue(pair.Value));
        }

        return new RedactedState(LogRedactor.Redact(message), values);
    }

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)values).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => Message;
}

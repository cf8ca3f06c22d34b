using System.Text.Json;

namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>
/// The stored event JSON, parsed only when a rule asks for it (an event attribute filter); most
/// evaluations never do, and the bytes are already in memory, so this stays free of I/O.
/// </summary>
public sealed class EventJsonView
{
    private readonly Func<ReadOnlyMemory<byte>>? _load;
    private ReadOnlyMemory<byte> _json;
    private JsonElement? _root;
    private bool _parsed;

    /// <summary>A view of JSON already in memory.</summary>
    public EventJsonView(ReadOnlyMemory<byte> json) => _json = json;

    /// <summary>
    /// A view of JSON that <paramref name="load"/> produces when a rule first asks (the stream item carries the
    /// event compressed: most evaluations never inflate it). A load that fails with
    /// <see cref="InvalidDataException"/> reads as no event object.
    /// </summary>
    public EventJsonView(Func<ReadOnlyMemory<byte>> load)
    {
        ArgumentNullException.ThrowIfNull(load);
        _load = load;
    }

    /// <summary>Parse count (for tests: the JSON is parsed at most once, and only when needed).</summary>
    public int Parses { get; private set; }

    /// <summary>The event object, or null when the bytes are empty or not a JSON object.</summary>
    public JsonElement? Root
    {
        get
        {
            if (!_parsed)
            {
                _parsed = true;
                Parses++;
                try
                {
                    var json = _load is null ? _json : _load();
                    if (!json.IsEmpty)
                    {
                        using var document = JsonDocument.Parse(json);
                        _root = document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
                    }
                }
                catch (Exception exception) when (exception is JsonException or InvalidDataException)
                {
                    _root = null;
                }
            }

            return _root;
        }
    }
}

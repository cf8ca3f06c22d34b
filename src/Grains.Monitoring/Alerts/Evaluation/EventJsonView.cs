using System.Text.Json;

namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>
/// The stored event JSON, parsed only when a rule asks for it (an event attribute filter); most
/// evaluations never do, and the bytes are already in memory, so this stays free of I/O.
/// </summary>
public sealed class EventJsonView(ReadOnlyMemory<byte> json)
{
    private JsonElement? _root;
    private bool _parsed;

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
                    if (!json.IsEmpty)
                    {
                        using var document = JsonDocument.Parse(json);
                        _root = document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
                    }
                }
                catch (JsonException)
                {
                    _root = null;
                }
            }

            return _root;
        }
    }
}

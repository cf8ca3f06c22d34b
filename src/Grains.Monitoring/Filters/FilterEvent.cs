using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Monitoring.Filters;

/// <summary>
/// What the inbound filters look at: a normalized event (Relay filters after normalization, so
/// <c>user.ip_address</c> is already filled for <c>{{auto}}</c>, headers are name/value pairs) and
/// the client address of the request that carried it. Fields are read on demand.
/// </summary>
public sealed class FilterEvent(JsonObject normalized, IPAddress? clientAddress)
{
    private string? _userAgent;
    private bool _userAgentRead;

    public JsonObject Event { get; } = normalized;

    /// <summary>The request's client: the first <c>X-Forwarded-For</c> hop behind a trusted proxy, else the peer.</summary>
    public IPAddress? ClientAddress { get; } = clientAddress;

    public string? Release => Text(Event["release"]);

    public string? UserIpAddress => Text(Event["user"]?["ip_address"]);

    public string? RequestUrl => Text(Event["request"]?["url"]);

    /// <summary>The <c>User-Agent</c> request header of the event (what Relay's <c>event.user_agent()</c> reads).</summary>
    public string? UserAgent
    {
        get
        {
            if (!_userAgentRead)
            {
                _userAgent = Header("User-Agent");
                _userAgentRead = true;
            }

            return _userAgent;
        }
    }

    /// <summary>A request header of the event by name (case-insensitive), from the normalized pair list or an object.</summary>
    public string? Header(string name)
    {
        switch (Event["request"]?["headers"])
        {
            case JsonArray pairs:
                foreach (var pair in pairs)
                {
                    if (pair is JsonArray { Count: 2 } kv && string.Equals(Text(kv[0]), name, StringComparison.OrdinalIgnoreCase))
                    {
                        return Text(kv[1]);
                    }
                }

                return null;
            case JsonObject headers:
                foreach (var (key, value) in headers)
                {
                    if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                    {
                        return Text(value);
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary><c>logentry.formatted</c>, else <c>logentry.message</c>.</summary>
    public string? LogMessage
    {
        get
        {
            var logentry = Event["logentry"];
            return Text(logentry?["formatted"]) ?? Text(logentry?["message"]);
        }
    }

    /// <summary>The exceptions (<c>exception.values</c>), oldest first as sent.</summary>
    public IEnumerable<JsonObject> Exceptions
    {
        get
        {
            if (Event["exception"]?["values"] is JsonArray values)
            {
                foreach (var value in values)
                {
                    if (value is JsonObject exception)
                    {
                        yield return exception;
                    }
                }
            }
        }
    }

    public static string? Text(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;
}

using System.Text.Json;
using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>The <c>request</c> interface: URL, headers, query string and cookies as Relay stores them.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class RequestInterface
{
    internal static void NormalizeRequest(JsonObject ev, NormalizationContext context, MetaRecorder meta)
    {
        var node = ev["request"];
        if (node is null)
        {
            return;
        }

        if (node is not JsonObject request)
        {
            WithPath(meta, "request", () => meta.Invalid("expected an object", node));
            ev.Remove("request");
            return;
        }

        meta.Push("request");
        if (request["method"]?.GetValueKind() == JsonValueKind.String)
        {
            request["method"] = request["method"]!.GetValue<string>().ToUpperInvariant();
        }

        if (request["headers"] is not null)
        {
            request["headers"] = ToPairs(Take(request, "headers"), null, meta, "headers", NormalizeHeaderName);
        }

        if (request["query_string"] is not null)
        {
            request["query_string"] = ToPairs(Take(request, "query_string"), '&', meta, "query_string", null);
        }

        if (request["cookies"] is not null)
        {
            request["cookies"] = ToPairs(Take(request, "cookies"), ';', meta, "cookies", null);
        }

        if (request["data"] is not null)
        {
            meta.Push("data");
            request["data"] = Detach(DatabagTrimmer.Trim(Take(request, "data"), BagSize.Large, meta));
            meta.Pop();
        }

        if (request["env"] is JsonObject env && env["REMOTE_ADDR"]?.GetValueKind() == JsonValueKind.String
            && env["REMOTE_ADDR"]!.GetValue<string>() == "{{auto}}")
        {
            if (context.ClientIp is null)
            {
                env.Remove("REMOTE_ADDR");
            }
            else
            {
                env["REMOTE_ADDR"] = context.ClientIp.ToString();
            }
        }

        meta.Pop();
    }

    // Headers, query strings and cookies arrive as objects, pair lists or raw strings; Relay stores
    // them as [[name, value], …] so repeated names survive.
    internal static JsonArray? ToPairs(JsonNode? node, char? separator, MetaRecorder meta, string name, Func<string, string>? normalizeName)
    {
        var pairs = new JsonArray();
        void Add(string key, JsonNode? value)
        {
            var text = value?.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                null or JsonValueKind.Null => null,
                _ => value.ToJsonString(),
            };
            pairs.Add(new JsonArray(normalizeName is null ? key : normalizeName(key), text));
        }

        switch (node?.GetValueKind())
        {
            case JsonValueKind.Object:
                foreach (var (key, value) in node.AsObject())
                {
                    Add(key, value);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in node.AsArray())
                {
                    if (item is JsonArray { Count: 2 } kv && kv[0]?.GetValueKind() == JsonValueKind.String)
                    {
                        Add(kv[0]!.GetValue<string>(), kv[1]);
                    }
                }

                break;
            case JsonValueKind.String when separator is { } sep:
                foreach (var part in node.GetValue<string>().TrimStart('?').Split(sep, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    var eq = part.IndexOf('=');
                    var key = eq < 0 ? part : part[..eq];
                    var value = eq < 0 ? string.Empty : part[(eq + 1)..];
                    if (sep == '&')
                    {
                        key = Uri.UnescapeDataString(key.Replace('+', ' '));
                        value = Uri.UnescapeDataString(value.Replace('+', ' '));
                    }

                    pairs.Add(new JsonArray(key, value));
                }

                break;
            default:
                WithPath(meta, name, () => meta.Invalid("expected an object or a list of pairs", node));
                return null;
        }

        return pairs;
    }

    // "content-type" → "Content-Type", as Relay's header normalization writes them.
    internal static string NormalizeHeaderName(string name)
    {
        var chars = name.Trim().ToCharArray();
        var upper = true;
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = upper ? char.ToUpperInvariant(chars[i]) : char.ToLowerInvariant(chars[i]);
            upper = chars[i] == '-';
        }

        return new string(chars);
    }
}

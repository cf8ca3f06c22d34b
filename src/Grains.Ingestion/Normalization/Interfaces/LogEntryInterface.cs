using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Grains.Ingestion.Normalization.Interfaces.NormalizationFields;

namespace Grains.Ingestion.Normalization.Interfaces;

/// <summary>The <c>logentry</c> interface (and the legacy <c>message</c> attribute folded into it), with its parameters formatted.</summary>
/// <remarks>One step of <see cref="EventNormalizer"/>, moved out of it unchanged (issue 14).</remarks>
internal static class LogEntryInterface
{
    internal static void NormalizeLogEntry(NormalizationOptions options, JsonObject ev, MetaRecorder meta)
    {
        var legacy = Take(ev, "message");
        var node = Take(ev, "logentry");
        var entry = ToLogEntry(node) ?? ToLogEntry(legacy);
        if (entry is null)
        {
            return;
        }

        // With both present, a legacy string message still fills an empty logentry instead of being lost.
        if (node is not null && legacy?.GetValueKind() == JsonValueKind.String && entry["formatted"] is null && entry["message"] is null)
        {
            entry["formatted"] = legacy.GetValue<string>();
        }

        var template = LenientString(entry["message"]);
        var formatted = LenientString(entry["formatted"]);
        if (formatted is null && template is not null)
        {
            formatted = entry["params"] is { } parameters ? FormatMessage(template, parameters) : template;
        }

        if (template == formatted)
        {
            template = null;
        }

        if (template is null && formatted is null)
        {
            return;
        }

        meta.Push("logentry");
        SetTruncated(entry, "message", template, options.MaxMessageLength, meta);
        SetTruncated(entry, "formatted", formatted, options.MaxMessageLength, meta);
        meta.Pop();
        ev["logentry"] = entry;
    }

    internal static JsonObject? ToLogEntry(JsonNode? node)
    {
        switch (node?.GetValueKind())
        {
            case null or JsonValueKind.Null or JsonValueKind.False:
                return null;
            case JsonValueKind.String:
                return new JsonObject { ["formatted"] = node.GetValue<string>() };
            case JsonValueKind.Object:
            {
                var source = node.AsObject();
                var entry = new JsonObject();
                foreach (var key in (string[])["message", "formatted", "params"])
                {
                    if (Take(source, key) is { } value)
                    {
                        entry[key] = value;
                    }
                }

                return entry;
            }

            default:
                // Numbers, true and arrays: Relay keeps them as their JSON text.
                return new JsonObject { ["formatted"] = node.ToJsonString() };
        }
    }

    /// <summary>Fills <c>%s</c>-style (Python, JS) and <c>{0}</c>-style (.NET) placeholders.</summary>
    internal static string FormatMessage(string template, JsonNode parameters)
    {
        var list = parameters as JsonArray;
        var named = parameters as JsonObject;
        var builder = new StringBuilder(template.Length + 32);
        var next = 0;
        for (var i = 0; i < template.Length; i++)
        {
            var c = template[i];
            if (c == '%' && i + 1 < template.Length)
            {
                var spec = template[i + 1];
                if (spec == '%')
                {
                    builder.Append('%');
                    i++;
                    continue;
                }

                if (spec == '(' && named is not null && template.IndexOf(')', i + 2) is var close and > 0 && close + 1 < template.Length)
                {
                    builder.Append(LenientString(named[template[(i + 2)..close]]));
                    i = close + 1;
                    continue;
                }

                if (spec is 's' or 'd' or 'i' or 'f' or 'r' && list is not null && next < list.Count)
                {
                    builder.Append(LenientString(list[next++]));
                    i++;
                    continue;
                }
            }
            else if (c == '{' && list is not null && template.IndexOf('}', i + 1) is var end and > 0
                && int.TryParse(template.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                && index < list.Count)
            {
                builder.Append(LenientString(list[index]));
                i = end;
                continue;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}

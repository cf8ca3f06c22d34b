using System.Text;

namespace Grains.EdgeBench;

/// <summary>
/// A JavaScript-SDK-shaped error event whose <c>extra</c>, <c>contexts</c> or <c>request.data</c>
/// holds <c>keys</c> entries: the shape that made processing time grow with the square of the size.
/// </summary>
public static class WideEvent
{
    /// <summary>The fields that can be made wide.</summary>
    public static readonly string[] Fields = ["extra", "contexts", "request.data"];

    public static byte[] Build(string field, int keys)
    {
        var wide = new StringBuilder(keys * 40);
        wide.Append('{');
        for (var i = 0; i < keys; i++)
        {
            if (i > 0)
            {
                wide.Append(',');
            }

            // Contexts hold objects; the other bags hold short strings.
            wide.Append("\"key").Append(i).Append("\":")
                .Append(field == "contexts" ? $"{{\"value\":\"v{i}\"}}" : $"\"value {i}\"");
        }

        wide.Append('}');
        var json = new StringBuilder(wide.Length + 1024);
        json.Append("{\"event_id\":\"0123456789abcdef0123456789abcdef\",\"platform\":\"javascript\",\"level\":\"error\",")
            .Append("\"exception\":{\"values\":[{\"type\":\"TypeError\",\"value\":\"wide\",\"stacktrace\":{\"frames\":[{\"function\":\"handler\",\"filename\":\"/app/src/checkout.js\",\"lineno\":10,\"in_app\":true}]}}]},");
        switch (field)
        {
            case "extra":
                json.Append("\"extra\":").Append(wide);
                break;
            case "contexts":
                json.Append("\"contexts\":").Append(wide);
                break;
            case "request.data":
                json.Append("\"request\":{\"url\":\"https://shop.example.com/checkout\",\"method\":\"POST\",\"data\":").Append(wide).Append('}');
                break;
            default:
                throw new ArgumentException($"unknown field {field}", nameof(field));
        }

        json.Append('}');
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}

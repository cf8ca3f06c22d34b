using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// The field checks of a rule node's form, with the messages of the Django forms Sentry validates nodes
/// with. A node's first error is reported; "required" errors become Sentry's generic
/// "Ensure at least one action is enabled …" (see <see cref="RuleValidator"/>).
/// </summary>
internal static class NodeForm
{
    public const string Required = "This field is required.";

    /// <summary>A field as text (strings as they are, numbers as written); null when absent, null or empty.</summary>
    public static string? Text(JsonObject node, string field)
    {
        if (!node.TryGetPropertyValue(field, out var value) || value is null)
        {
            return null;
        }

        var text = value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            _ => value.ToJsonString(),
        };
        return text.Length == 0 ? null : text;
    }

    /// <summary>A required choice (Django's <c>ChoiceField</c>).</summary>
    public static string? Choice(JsonObject node, string field, IReadOnlyCollection<string> choices, bool required = true)
    {
        var text = Text(node, field);
        if (text is null)
        {
            return required ? Required : null;
        }

        return choices.Contains(text) ? null : $"Select a valid choice. {text} is not one of the available choices.";
    }

    /// <summary>A whole number of at least <paramref name="min"/> (Django's <c>IntegerField</c>).</summary>
    public static string? Integer(JsonObject node, string field, long min = 0, bool required = true)
    {
        var text = Text(node, field);
        if (text is null)
        {
            return required ? Required : null;
        }

        if (!TryInteger(text, out var value))
        {
            return "Enter a whole number.";
        }

        return value < min ? $"Ensure this value is greater than or equal to {min}." : null;
    }

    /// <summary>A number (Django's <c>FloatField</c>).</summary>
    public static string? Number(JsonObject node, string field, double min = 0)
    {
        var text = Text(node, field);
        if (text is null)
        {
            return Required;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return "Enter a number.";
        }

        return value < min ? $"Ensure this value is greater than or equal to {min.ToString(CultureInfo.InvariantCulture)}." : null;
    }

    /// <summary>A required text field (Django's <c>CharField</c>).</summary>
    public static string? String(JsonObject node, string field, bool required = true) => Text(node, field) is null && required ? Required : null;

    /// <summary>A whole number as Django reads one: digits, or a number written with a zero fraction.</summary>
    public static bool TryInteger(string text, out long value)
    {
        if (long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            return true;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number == Math.Floor(number) && Math.Abs(number) < 1e15)
        {
            value = (long)number;
            return true;
        }

        return false;
    }

    /// <summary>A field already validated as a whole number.</summary>
    public static long IntegerValue(JsonObject node, string field) => TryInteger(Text(node, field) ?? "0", out var value) ? value : 0;

    /// <summary>A field already validated as a number.</summary>
    public static double NumberValue(JsonObject node, string field) =>
        double.TryParse(Text(node, field), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;

    /// <summary>The first non-null error.</summary>
    public static string? First(params string?[] errors) => errors.FirstOrDefault(e => e is not null);
}

using System.Text;
using System.Text.Json;
using Grains.Monitoring.Grouping;

namespace Grains.Monitoring.Tests.Grouping;

/// <summary>Renders component trees in the <c>.pysnap</c> layout so engine and snapshot trees can be diffed as text.</summary>
internal static class ComponentTreeText
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(GroupingComponent root, bool withHints)
    {
        var builder = new StringBuilder();
        Render(root, 0, withHints, builder);
        return builder.ToString();
    }

    public static string Render(PysnapNode root, bool withHints)
    {
        var builder = new StringBuilder();
        Render(root, 0, withHints, builder);
        return builder.ToString();
    }

    /// <summary>Hint wording drifted between upstream snapshots ("stacktrace rule" vs "stack trace rule").</summary>
    public static string? NormalizeHint(string? hint) => hint?.Replace("stacktrace rule", "stack trace rule", StringComparison.Ordinal);

    private static void Render(GroupingComponent node, int depth, bool withHints, StringBuilder builder)
    {
        // Snapshots omit components that carry no values at all (e.g. a frame without a filename).
        if (node.IsEmpty && depth > 0)
        {
            return;
        }

        Header(node.Id, node.Contributes, node.Hint, depth, withHints, builder);
        foreach (var value in node.Values)
        {
            builder.Append(' ', (depth + 1) * 2).Append(JsonSerializer.Serialize(value, Json)).Append('\n');
        }

        foreach (var child in node.Children)
        {
            Render(child, depth + 1, withHints, builder);
        }
    }

    private static void Render(PysnapNode node, int depth, bool withHints, StringBuilder builder)
    {
        Header(node.Id, node.Contributes, node.Hint, depth, withHints, builder);
        foreach (var value in node.Values)
        {
            builder.Append(' ', (depth + 1) * 2).Append(JsonSerializer.Serialize(value, Json)).Append('\n');
        }

        foreach (var child in node.Children)
        {
            Render(child, depth + 1, withHints, builder);
        }
    }

    private static void Header(string id, bool contributes, string? hint, int depth, bool withHints, StringBuilder builder)
    {
        builder.Append(' ', depth * 2).Append(id);
        if (contributes)
        {
            builder.Append('*');
        }

        if (withHints && hint is not null)
        {
            builder.Append(" (").Append(NormalizeHint(hint)).Append(')');
        }

        builder.Append('\n');
    }
}

using System.Text.Json.Nodes;

namespace Grains.Monitoring.Tests.Grouping;

/// <summary>
/// Reader for Sentry's <c>.pysnap</c> grouping snapshots: per variant the hash, hint, fingerprint info and
/// the component tree (<c>name[*] [(hint)]</c> lines and quoted leaf values, two spaces per level).
/// </summary>
internal sealed class PysnapSnapshot
{
    public Dictionary<string, PysnapVariant> Variants { get; } = new(StringComparer.Ordinal);

    public static PysnapSnapshot Parse(string text)
    {
        var snapshot = new PysnapSnapshot();
        PysnapVariant? current = null;
        var stack = new List<(int Indent, PysnapNode Node)>();
        var inTree = false;
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            if (line.StartsWith("---", StringComparison.Ordinal) || line.StartsWith("source:", StringComparison.Ordinal) || line.Length == 0)
            {
                inTree = false;
                continue;
            }

            if (!line.StartsWith(' ') && line.EndsWith(':'))
            {
                current = new PysnapVariant(line[..^1]);
                snapshot.Variants[current.Name] = current;
                inTree = false;
                continue;
            }

            if (current is null)
            {
                continue;
            }

            // Tree lines are indented by at least four spaces; a two-space line is a variant field again.
            if (inTree && line.Length - line.TrimStart(' ').Length < 4)
            {
                inTree = false;
            }

            if (!inTree)
            {
                var trimmed = line.Trim();
                if (trimmed.StartsWith("hash: ", StringComparison.Ordinal))
                {
                    var value = trimmed["hash: ".Length..];
                    current.Hash = value == "null" ? null : JsonNode.Parse(value)!.GetValue<string>();
                }
                else if (trimmed.StartsWith("hint: ", StringComparison.Ordinal))
                {
                    var value = trimmed["hint: ".Length..];
                    current.Hint = value == "None" ? null : value;
                }
                else if (trimmed.StartsWith("contributing component: ", StringComparison.Ordinal))
                {
                    var value = trimmed["contributing component: ".Length..];
                    current.ContributingComponent = value == "null" ? null : value;
                }
                else if (trimmed.StartsWith("fingerprint_info: ", StringComparison.Ordinal))
                {
                    current.FingerprintInfo = JsonNode.Parse(trimmed["fingerprint_info: ".Length..]);
                }
                else if (trimmed.StartsWith("values: ", StringComparison.Ordinal))
                {
                    current.Values = JsonNode.Parse(trimmed["values: ".Length..])!.AsArray().Select(v => v!.GetValue<string>()).ToList();
                }
                else if (trimmed == "root_component:")
                {
                    inTree = true;
                    stack.Clear();
                }

                continue;
            }

            var indent = line.Length - line.TrimStart(' ').Length;
            var content = line.Trim();
            while (stack.Count > 0 && stack[^1].Indent >= indent)
            {
                stack.RemoveAt(stack.Count - 1);
            }

            if (content.StartsWith('"'))
            {
                stack[^1].Node.Values.Add(JsonNode.Parse(content)!.GetValue<string>());
                continue;
            }

            var node = PysnapNode.FromHeader(content);
            if (stack.Count == 0)
            {
                current.Root = node;
            }
            else
            {
                stack[^1].Node.Children.Add(node);
            }

            stack.Add((indent, node));
        }

        return snapshot;
    }
}

internal sealed class PysnapVariant
{
    public PysnapVariant(string name) => Name = name;

    public string Name { get; }

    public string? Hash { get; set; }

    public string? Hint { get; set; }

    public string? ContributingComponent { get; set; }

    public JsonNode? FingerprintInfo { get; set; }

    public List<string>? Values { get; set; }

    public PysnapNode? Root { get; set; }
}

internal sealed class PysnapNode
{
    public string Id { get; private init; } = string.Empty;

    public bool Contributes { get; private init; }

    public string? Hint { get; private init; }

    public List<PysnapNode> Children { get; } = new();

    public List<string> Values { get; } = new();

    public static PysnapNode FromHeader(string header)
    {
        var hintStart = header.IndexOf(" (", StringComparison.Ordinal);
        var head = hintStart < 0 ? header : header[..hintStart];
        var hint = hintStart < 0 ? null : header[(hintStart + 2)..^1];
        return new PysnapNode
        {
            Id = head.TrimEnd('*'),
            Contributes = head.EndsWith('*'),
            Hint = hint,
        };
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Monitoring.Projects.Options;

/// <summary>
/// A list option that Sentry's API takes and echoes as one newline-separated string
/// (<c>clean_newline_inputs</c>: each line trimmed, empty lines dropped), stored as a JSON array.
/// A JSON array of strings is accepted too. An empty list resets the option.
/// </summary>
public abstract class NewlineListOption : ProjectOption<IReadOnlyList<string>>
{
    /// <summary>Lines beyond this are refused: the list is evaluated per event.</summary>
    public const int MaxLines = 1000;

    /// <summary>Longer lines are refused.</summary>
    public const int MaxLineLength = 1000;

    public override bool InProjectDetails => true;

    public override IReadOnlyList<string> Default => [];

    /// <summary>Whether lines are stored lower-cased (Sentry does so for IPs and releases, not for messages).</summary>
    protected abstract bool LowerCase { get; }

    public override ProjectOptionParse Parse(JsonElement input)
    {
        List<string> raw;
        switch (input.ValueKind)
        {
            case JsonValueKind.Null:
                return ProjectOptionParse.Value(null);
            case JsonValueKind.String:
                raw = [.. input.GetString()!.Split('\n')];
                break;
            case JsonValueKind.Array:
                raw = [];
                foreach (var item in input.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String)
                    {
                        return ProjectOptionParse.Invalid("Must be a newline-separated string or a list of strings.");
                    }

                    raw.Add(item.GetString()!);
                }

                break;
            default:
                return ProjectOptionParse.Invalid("Must be a newline-separated string.");
        }

        var lines = new List<string>();
        for (var i = 0; i < raw.Count; i++)
        {
            var line = raw[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length > MaxLineLength)
            {
                return ProjectOptionParse.Invalid($"Line {i + 1} is longer than {MaxLineLength} characters.");
            }

            if (LowerCase)
            {
                line = line.ToLowerInvariant();
            }

            if (ValidateLine(line) is { } error)
            {
                return ProjectOptionParse.Invalid($"Line {i + 1}: {error}");
            }

            lines.Add(line);
        }

        if (lines.Count > MaxLines)
        {
            return ProjectOptionParse.Invalid($"At most {MaxLines} entries are allowed.");
        }

        return ProjectOptionParse.Value(lines.Count == 0 ? null : JsonSerializer.Serialize(lines, ProjectOptionJson.Default.ListString));
    }

    /// <summary>Why one (trimmed, non-empty) line is invalid, or null.</summary>
    protected abstract string? ValidateLine(string line);

    protected override bool TryDecode(JsonElement stored, out IReadOnlyList<string> value)
    {
        value = [];
        if (stored.ValueKind != JsonValueKind.Array)
        {
            return false;
        }

        var lines = new List<string>();
        foreach (var item in stored.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
            {
                lines.Add(item.GetString()!);
            }
        }

        value = lines;
        return true;
    }

    protected override JsonNode? Format(IReadOnlyList<string> value) => JsonValue.Create(string.Join('\n', value));
}

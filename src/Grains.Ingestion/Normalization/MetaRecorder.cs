using System.Text.Json.Nodes;

namespace Grains.Ingestion.Normalization;

/// <summary>
/// Builds the Relay-style <c>_meta</c> tree while the normalizer walks the event: the walker keeps
/// the current path with <c>Push</c>/<c>Pop</c>, and each note lands under
/// <c>_meta.&lt;path&gt;[""]</c> as <c>rem</c> (remarks), <c>len</c> (original length), <c>err</c> and <c>val</c>.
/// </summary>
internal sealed class MetaRecorder
{
    private readonly List<string> _path = new(16);

    public JsonObject? Root { get; private set; }

    public void Push(string segment) => _path.Add(segment);

    public void Push(int index) => _path.Add(index.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public void Pop() => _path.RemoveAt(_path.Count - 1);

    /// <summary>A string cut to <paramref name="kept"/> characters plus "..." (<c>!limit</c> substitution).</summary>
    public void Truncated(int kept, int originalLength)
    {
        var entry = Entry();
        AddRemark(entry, new JsonArray("!limit", "s", kept, kept + 3));
        entry["len"] = originalLength;
    }

    /// <summary>A list or object that lost entries; <paramref name="originalLength"/> is its original count.</summary>
    public void Shortened(int originalLength) => Entry()["len"] = originalLength;

    /// <summary>A value removed because it was nested too deep or the size budget ran out.</summary>
    public void Removed() => AddRemark(Entry(), new JsonArray("!limit", "x"));

    /// <summary>A value whose content was replaced under rule <paramref name="rule"/> (<c>s</c>: substituted).</summary>
    public void Substituted(string rule) => AddRemark(Entry(), new JsonArray(rule, "s"));

    /// <summary>
    /// An invalid value that was dropped or replaced; the original is kept in <c>val</c> when it is
    /// small (Relay keeps originals up to 500 bytes), so <c>_meta</c> never doubles a large or deep value.
    /// </summary>
    public void Invalid(string reason, JsonNode? original)
    {
        var entry = Entry();
        if (entry["err"] is not JsonArray errors)
        {
            entry["err"] = errors = [];
        }

        errors.Add(new JsonArray("invalid_data", new JsonObject { ["reason"] = reason }));
        if (original is not null && OriginalValue.IsSmall(original))
        {
            entry["val"] = original.DeepClone();
        }
    }

    private static void AddRemark(JsonObject entry, JsonArray remark)
    {
        if (entry["rem"] is not JsonArray remarks)
        {
            entry["rem"] = remarks = [];
        }

        remarks.Add(remark);
    }

    private JsonObject Entry()
    {
        var node = Root ??= [];
        foreach (var segment in _path)
        {
            node = Child(node, segment);
        }

        return Child(node, string.Empty);
    }

    private static JsonObject Child(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        parent[key] = created;
        return created;
    }
}

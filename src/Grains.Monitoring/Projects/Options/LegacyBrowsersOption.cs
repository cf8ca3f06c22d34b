using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Monitoring.Filters;

namespace Grains.Monitoring.Projects.Options;

/// <summary>
/// <c>filters:legacy-browsers</c>: <c>true</c> (the default set), <c>false</c>, or a list of subfilter
/// ids (stored sorted; an empty list is off), as Sentry stores it. Unknown ids are refused.
/// </summary>
public sealed class LegacyBrowsersOption : ProjectOption<LegacyBrowsersSetting>
{
    public static LegacyBrowsersOption Instance { get; } = new();

    public const string FilterId = "legacy-browsers";

    public override string Key => "filters:" + FilterId;

    public override LegacyBrowsersSetting Default => LegacyBrowsersSetting.Off;

    public override ProjectOptionParse Parse(JsonElement input)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.True:
                return ProjectOptionParse.Value("true");
            case JsonValueKind.False or JsonValueKind.Null:
                return ProjectOptionParse.Value(null);
            case JsonValueKind.String when input.GetString() is "1":
                return ProjectOptionParse.Value("true");
            case JsonValueKind.String when input.GetString() is "0":
                return ProjectOptionParse.Value(null);
            case JsonValueKind.Array:
                var ids = new SortedSet<string>(StringComparer.Ordinal);
                foreach (var item in input.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || LegacyBrowserSubfilter.Find(item.GetString()!) is null)
                    {
                        return ProjectOptionParse.Invalid(
                            $"\"{(item.ValueKind == JsonValueKind.String ? item.GetString() : item.GetRawText())}\" is not a valid choice. Choices: {string.Join(", ", LegacyBrowserSubfilter.All.Select(s => s.Id))}.");
                    }

                    ids.Add(item.GetString()!);
                }

                return ProjectOptionParse.Value(ids.Count == 0 ? null : JsonSerializer.Serialize(ids.ToList(), ProjectOptionJson.Default.ListString));
            default:
                return ProjectOptionParse.Invalid("Must be a boolean or a list of subfilters.");
        }
    }

    protected override bool TryDecode(JsonElement stored, out LegacyBrowsersSetting value)
    {
        value = LegacyBrowsersSetting.Off;
        switch (stored.ValueKind)
        {
            case JsonValueKind.True:
                value = new LegacyBrowsersSetting(true, []);
                return true;
            case JsonValueKind.False:
                return true;
            case JsonValueKind.Array:
                value = new LegacyBrowsersSetting(false, [.. stored.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String).Select(i => i.GetString()!)]);
                return true;
            default:
                return false;
        }
    }

    /// <summary>As Sentry's filter list shows <c>active</c>: a boolean, or the list of subfilters.</summary>
    protected override JsonNode? Format(LegacyBrowsersSetting value) =>
        value.Subfilters.Count > 0 ? new JsonArray([.. value.Subfilters.Select(s => (JsonNode?)JsonValue.Create(s))]) : JsonValue.Create(value.Defaults);

    /// <summary>The compiled filter, or null when off.</summary>
    public LegacyBrowsersFilter? Compile(ProjectOptions options)
    {
        var setting = Read(options);
        return setting.IsActive ? new LegacyBrowsersFilter(setting.Subfilters, setting.Defaults) : null;
    }
}

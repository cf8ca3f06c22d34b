using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// Validates a rule body of <c>POST …/rules/</c> or <c>PUT …/rules/{id}/</c> as Sentry's
/// <c>RuleSerializer</c> does, with its messages (api-shapes §e): the DRF field errors, each node's
/// form, the action requirement and the duplicate check. Pure: the caller passes what it needs to know
/// about the project.
/// </summary>
public static class RuleValidator
{
    public const int MaxNameLength = 256;

    public const int DefaultFrequency = 30;

    public const int MinFrequency = 5;

    /// <summary>30 days in minutes.</summary>
    public const int MaxFrequency = 60 * 24 * 30;

    public const int MaxEnvironmentLength = 64;

    public const string GenericNodeError = "Ensure at least one action is enabled and all required fields are filled in.";

    public const string NoActionError = "You must add an action for this alert to fire.";

    /// <summary>Validates <paramref name="body"/>.</summary>
    /// <param name="body">The request body (an object).</param>
    /// <param name="projectId">The rule's project.</param>
    /// <param name="check">The project's enabled services.</param>
    /// <param name="existing">The project's rules (for the duplicate check).</param>
    /// <param name="updating">The rule being replaced (PUT), whose id the duplicate check skips and whose identity is kept.</param>
    public static RuleValidation Validate(JsonElement body, long projectId, RuleNodeCheck check, IReadOnlyList<AlertRule> existing, AlertRule? updating = null)
    {
        ArgumentNullException.ThrowIfNull(check);
        ArgumentNullException.ThrowIfNull(existing);
        var errors = new Dictionary<string, IReadOnlyList<object>>(StringComparer.Ordinal);
        void Fail(string field, string message) => errors.TryAdd(field, [message]);

        var name = Text(body, "name", Fail);
        if (name is null && !errors.ContainsKey("name"))
        {
            Fail("name", body.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.Null ? "This field may not be null." : "This field is required.");
        }
        else if (name is not null && name.Trim().Length == 0)
        {
            Fail("name", "This field may not be blank.");
        }
        else if (name is not null && name.Trim().Length > MaxNameLength)
        {
            Fail("name", $"Ensure this field has no more than {MaxNameLength} characters.");
        }

        var actionMatch = Choice(body, "actionMatch", required: true, Fail);
        var filterMatch = Choice(body, "filterMatch", required: false, Fail);

        var frequency = DefaultFrequency;
        if (body.TryGetProperty("frequency", out var f) && f.ValueKind != JsonValueKind.Null)
        {
            if (!TryInteger(f, out var value))
            {
                Fail("frequency", "A valid integer is required.");
            }
            else if (value < MinFrequency)
            {
                Fail("frequency", $"Ensure this value is greater than or equal to {MinFrequency}.");
            }
            else if (value > MaxFrequency)
            {
                Fail("frequency", $"Ensure this value is less than or equal to {MaxFrequency}.");
            }
            else
            {
                frequency = (int)value;
            }
        }

        string? environment = null;
        if (body.TryGetProperty("environment", out var e) && e.ValueKind != JsonValueKind.Null)
        {
            environment = e.ValueKind == JsonValueKind.String ? e.GetString() : null;
            if (e.ValueKind != JsonValueKind.String)
            {
                Fail("environment", "Not a valid string.");
            }
            else if (environment!.Length > MaxEnvironmentLength)
            {
                Fail("environment", $"Ensure this field has no more than {MaxEnvironmentLength} characters.");
            }
            else if (environment.Length == 0)
            {
                environment = null;
            }
        }

        string? owner = null;
        if (body.TryGetProperty("owner", out var o) && o.ValueKind != JsonValueKind.Null)
        {
            owner = o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            if (owner is null || !IsActor(owner))
            {
                Fail("owner", "Could not parse actor. Format should be `type:id` where type is `team` or `user`.");
            }
        }

        var conditions = Nodes(body, "conditions", RuleNodeKind.Condition, check, Fail);
        var filters = Nodes(body, "filters", RuleNodeKind.Filter, check, Fail);
        var actions = Nodes(body, "actions", RuleNodeKind.Action, check, Fail);
        if (actions is { Count: 0 } || (actions is null && !errors.ContainsKey("actions")))
        {
            Fail("actions", NoActionError);
        }

        if (filters is { Count: > 0 } && filterMatch is null && !errors.ContainsKey("filterMatch"))
        {
            Fail("filterMatch", "Must select a filter match (all, any, none) if filters are supplied.");
        }

        if (errors.Count > 0)
        {
            return new RuleValidation(null, errors);
        }

        var rule = new AlertRule
        {
            Id = updating?.Id ?? 0,
            ProjectId = projectId,
            Label = name!.Trim(),
            Environment = environment,
            Status = updating?.Status ?? RuleStatus.Active,
            ActionMatch = actionMatch!,
            FilterMatch = filterMatch ?? RuleMatch.All,
            Frequency = frequency,
            ConditionsJson = (conditions ?? []).ToJsonString(),
            FiltersJson = (filters ?? []).ToJsonString(),
            ActionsJson = actions!.ToJsonString(),
            Owner = owner,
            CreatedByJson = updating?.CreatedByJson,
            DateCreated = updating?.DateCreated ?? default,
            Source = updating?.Source ?? RuleSource.Api,
        };

        if (existing.FirstOrDefault(r => r.Id != rule.Id && r.Status != RuleStatus.Deleted && IsDuplicate(r, rule)) is { } duplicate)
        {
            return new RuleValidation(null, new Dictionary<string, IReadOnlyList<object>>(StringComparer.Ordinal)
            {
                ["name"] = [$"This rule is an exact duplicate of '{duplicate.Label}' in this project and may not be created."],
                ["ruleId"] = [duplicate.Id],
            });
        }

        return new RuleValidation(rule, errors);
    }

    /// <summary>Sentry's duplicate test: the same environment, match modes, frequency and nodes (the name does not count).</summary>
    public static bool IsDuplicate(AlertRule a, AlertRule b) =>
        a.Environment == b.Environment
        && a.ActionMatch == b.ActionMatch
        && a.FilterMatch == b.FilterMatch
        && a.Frequency == b.Frequency
        && SameNodes(a.ConditionsJson, b.ConditionsJson)
        && SameNodes(a.FiltersJson, b.FiltersJson)
        && SameNodes(a.ActionsJson, b.ActionsJson);

    private static bool SameNodes(string a, string b)
    {
        static List<string> Canonical(string json) =>
            (JsonNode.Parse(json) as JsonArray ?? []).Select(n => Canonicalize(n)).Order(StringComparer.Ordinal).ToList();

        return Canonical(a).SequenceEqual(Canonical(b));
    }

    // Key order and number-vs-string spellings do not make two nodes different.
    private static string Canonicalize(JsonNode? node) => node switch
    {
        JsonObject o => "{" + string.Join(",", o.OrderBy(p => p.Key, StringComparer.Ordinal).Where(p => p.Key != "name").Select(p => p.Key + ":" + Canonicalize(p.Value))) + "}",
        JsonArray a => "[" + string.Join(",", a.Select(Canonicalize)) + "]",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        null => "null",
        _ => node.ToJsonString(),
    };

    private static JsonArray? Nodes(JsonElement body, string field, RuleNodeKind kind, RuleNodeCheck check, Action<string, string> fail)
    {
        if (!body.TryGetProperty(field, out var list) || list.ValueKind == JsonValueKind.Null)
        {
            return kind == RuleNodeKind.Action ? null : [];
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            fail(field, $"Expected a list of items but got type \"{DrfType(list.ValueKind)}\".");
            return null;
        }

        var nodes = new JsonArray();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                fail(field, "Invalid node");
                return null;
            }

            var node = (JsonObject)JsonNode.Parse(item.GetRawText())!;
            var id = NodeForm.Text(node, "id");
            if (id is null || RuleNodeCatalog.Find(id) is not { } definition || definition.Kind != kind)
            {
                fail(field, $"Invalid node. Could not find '{id}'");
                return null;
            }

            node.Remove("name"); // A rendered label sent back (as the UI does) is not data.
            if (definition.Validate(node, check) is { } error)
            {
                fail(field, error == NodeForm.Required ? GenericNodeError : error);
                return null;
            }

            nodes.Add(node);
        }

        return nodes;
    }

    private static string? Text(JsonElement body, string field, Action<string, string> fail)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        // DRF's CharField takes numbers as their text, and nothing else that is not a string.
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return value.GetString();
            case JsonValueKind.Number:
                return value.GetRawText();
            default:
                fail(field, "Not a valid string.");
                return null;
        }
    }

    private static string? Choice(JsonElement body, string field, bool required, Action<string, string> fail)
    {
        if (!body.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                fail(field, value.ValueKind == JsonValueKind.Null && body.TryGetProperty(field, out _) ? "This field may not be null." : "This field is required.");
            }

            return null;
        }

        var text = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        if (!RuleMatch.Choices.Contains(text))
        {
            fail(field, $"\"{text}\" is not a valid choice.");
            return null;
        }

        return text;
    }

    private static bool TryInteger(JsonElement value, out long number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out number) || (value.TryGetDouble(out var d) && d == Math.Floor(d) && Math.Abs(d) < 1e15 && (number = (long)d) == number),
            JsonValueKind.String => NodeForm.TryInteger(value.GetString()!, out number),
            _ => false,
        };
    }

    private static bool IsActor(string owner)
    {
        var colon = owner.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || owner[..colon] is not ("user" or "team"))
        {
            return false;
        }

        var id = owner[(colon + 1)..];
        return id.Length is > 0 and < 20 && id.All(char.IsAsciiDigit);
    }

    private static string DrfType(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "dict",
        JsonValueKind.String => "str",
        JsonValueKind.Number => "int",
        JsonValueKind.True or JsonValueKind.False => "bool",
        _ => "NoneType",
    };
}

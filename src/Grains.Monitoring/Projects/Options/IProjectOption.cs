using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Monitoring.Projects.Options;

/// <summary>
/// One project option (Sentry's <c>ProjectOption</c>): its key, how an API value is validated and
/// turned into the stored JSON, and how the stored value reads back in the project's JSON. Each
/// option is its own small class, listed in <see cref="ProjectOptionRegistry"/>.
/// </summary>
public interface IProjectOption
{
    /// <summary>The key as Sentry's API spells it (e.g. <c>filters:blacklisted_ips</c>); also the stored key.</summary>
    string Key { get; }

    /// <summary>Whether <c>PUT /api/0/projects/{org}/{project}/</c> accepts it in <c>options</c> and the project's JSON echoes it.</summary>
    bool InProjectDetails { get; }

    /// <summary>Validates an API value; the result is the JSON to store (null: back to the default) or a message naming what is wrong.</summary>
    ProjectOptionParse Parse(JsonElement input);

    /// <summary>The value as the project's JSON shows it (the default when <paramref name="options"/> do not set it).</summary>
    JsonNode? ToApi(ProjectOptions options);
}

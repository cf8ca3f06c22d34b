using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Grains.Server.Api.Models;

namespace Grains.Server.Api.Serialization;

/// <summary>The API's JSON contract: Sentry's camelCase names, nulls written (Sentry sends <c>"assignedTo": null</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ErrorDto))]
[JsonSerializable(typeof(OrganizationDto))]
[JsonSerializable(typeof(List<OrganizationDto>))]
[JsonSerializable(typeof(ProjectDto))]
[JsonSerializable(typeof(List<ProjectDto>))]
[JsonSerializable(typeof(KeyDto))]
[JsonSerializable(typeof(List<KeyDto>))]
[JsonSerializable(typeof(IssueDto))]
[JsonSerializable(typeof(List<IssueDto>))]
[JsonSerializable(typeof(IssueDetailDto))]
[JsonSerializable(typeof(StatusChangeDto))]
[JsonSerializable(typeof(TagKeyDto))]
[JsonSerializable(typeof(List<TagKeyDto>))]
[JsonSerializable(typeof(List<TagValueDto>))]
[JsonSerializable(typeof(List<HashDto>))]
[JsonSerializable(typeof(JsonObject))]
[JsonSerializable(typeof(JsonArray))]
internal sealed partial class ApiJsonContext : JsonSerializerContext;

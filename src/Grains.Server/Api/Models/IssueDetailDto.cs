using System.Diagnostics.CodeAnalysis;

namespace Grains.Server.Api.Models;

/// <summary>The issue detail: the list fields plus tags, releases and the (empty) collaboration lists of <c>GroupDetails</c>.</summary>
internal sealed record IssueDetailDto : IssueDto
{
    /// <summary>Extends a list item (the record copy constructor keeps the two shapes from drifting apart).</summary>
    [SetsRequiredMembers]
    public IssueDetailDto(IssueDto summary)
        : base(summary)
    {
    }

    public IReadOnlyList<TagKeyDto> Tags { get; init; } = [];

    public ReleaseRefDto? FirstRelease { get; init; }

    public ReleaseRefDto? LastRelease { get; init; }

    /// <summary>The issue's activities, newest first (Sentry's activity JSON).</summary>
    public System.Text.Json.Nodes.JsonArray Activity { get; init; } = [];

    public IReadOnlyList<object> SeenBy { get; init; } = [];

    public IReadOnlyList<object> Participants { get; init; } = [];

    public IReadOnlyList<object> PluginActions { get; init; } = [];

    public IReadOnlyList<object> PluginIssues { get; init; } = [];

    public IReadOnlyList<object> PluginContexts { get; init; } = [];

    public int UserReportCount { get; init; }
}

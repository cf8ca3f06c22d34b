using System.Diagnostics;

namespace Grains.Monitoring.Issues;

/// <summary>The <c>Grains.Issues</c> activity source: the issue grain's processing of delivered events.</summary>
public static class IssueInstruments
{
    /// <summary>The name of the activity source.</summary>
    public const string Name = "Grains.Issues";

    /// <summary>The span of applying one delivered event to its issue: a child of the event's durable append.</summary>
    public const string ApplyEvent = "apply event";

    internal static readonly ActivitySource Source = new(Name);
}

using System.Text.Json.Nodes;

namespace Grains.Monitoring.Grouping.Model;

/// <summary>One entry of <c>threads.values</c>.</summary>
internal sealed class EventThread
{
    public bool Crashed { get; init; }
    public bool Current { get; init; }
    public EventStacktrace? Stacktrace { get; init; }

    public static EventThread FromJson(JsonObject json) => new()
    {
        Crashed = JsonRead.Bool(json["crashed"]) == true,
        Current = JsonRead.Bool(json["current"]) == true,
        Stacktrace = EventStacktrace.FromJson(json["stacktrace"]),
    };
}

using System.Text.Json.Nodes;

namespace Grains.Server.Dashboard.IssueDetails;

/// <summary>
/// Orders a stack trace for reading (most recent call first, as Sentry shows it) and folds runs of
/// system frames between in-app frames, so the application's own code is what the eye finds first.
/// </summary>
internal static class FrameRuns
{
    /// <summary>
    /// The frames of <paramref name="stacktrace"/> (Sentry's order: oldest call first) as display groups.
    /// System frames are folded only when the trace has in-app frames too: a trace of system frames
    /// alone (or of in-app frames alone) shows every frame, since there is nothing to single out.
    /// </summary>
    public static IReadOnlyList<FrameGroup> Group(JsonObject? stacktrace, bool foldSystemFrames)
    {
        var frames = (stacktrace?["frames"] as JsonArray)?.OfType<JsonObject>().Reverse().ToList() ?? [];
        var inApp = frames.Count(IsInApp);
        var fold = foldSystemFrames && inApp > 0 && inApp < frames.Count;
        if (!fold)
        {
            return [.. frames.Select(f => new FrameGroup([f], IsSystemRun: false))];
        }

        var groups = new List<FrameGroup>();
        var run = new List<JsonObject>();
        foreach (var frame in frames)
        {
            if (IsInApp(frame))
            {
                Flush();
                groups.Add(new FrameGroup([frame], IsSystemRun: false));
            }
            else
            {
                run.Add(frame);
            }
        }

        Flush();
        return groups;

        void Flush()
        {
            if (run.Count > 0)
            {
                groups.Add(new FrameGroup([.. run], IsSystemRun: true));
                run = [];
            }
        }
    }

    /// <summary>Whether a frame (API shape) belongs to the application.</summary>
    public static bool IsInApp(JsonObject frame) => EventJson.Bool(frame["inApp"]);

    /// <summary>Sentry's <c>[[lineNo, line], …]</c> context of a frame; empty when the SDK sent none.</summary>
    public static IReadOnlyList<(long LineNo, string Line)> Context(JsonObject frame) =>
        [.. (frame["context"] as JsonArray ?? []).OfType<JsonArray>()
            .Where(p => p.Count == 2 && EventJson.Long(p[0]) is not null)
            .Select(p => (EventJson.Long(p[0])!.Value, EventJson.Str(p[1]) ?? ""))];
}

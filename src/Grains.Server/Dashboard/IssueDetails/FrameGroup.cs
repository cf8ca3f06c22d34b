using System.Text.Json.Nodes;

namespace Grains.Server.Dashboard.IssueDetails;

/// <summary>Frames shown together: one frame, or a run of consecutive system frames shown collapsed.</summary>
/// <param name="Frames">The frames, most recent call first.</param>
/// <param name="IsSystemRun">Whether the frames are system (not in-app) frames hidden behind a toggle.</param>
internal sealed record FrameGroup(IReadOnlyList<JsonObject> Frames, bool IsSystemRun);

using System.Text.Json.Nodes;

namespace Grains.Monitoring.Grouping.Model;

/// <summary>A stack trace: frames ordered oldest call first, crashing frame last (Sentry order).</summary>
internal sealed class EventStacktrace
{
    public EventStacktrace(List<EventFrame> frames)
    {
        Frames = frames;
    }

    public List<EventFrame> Frames { get; }

    public static EventStacktrace? FromJson(JsonNode? node)
    {
        if (node is not JsonObject json)
        {
            return null;
        }

        var frames = new List<EventFrame>();
        if (json["frames"] is JsonArray array)
        {
            foreach (var item in array)
            {
                if (item is JsonObject frame)
                {
                    frames.Add(EventFrame.FromJson(frame));
                }
            }
        }

        return new EventStacktrace(frames);
    }
}

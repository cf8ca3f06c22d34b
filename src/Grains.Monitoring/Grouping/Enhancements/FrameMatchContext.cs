using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping.Enhancements;

/// <summary>
/// The mutable per-stack-trace view rules match against: frames plus the in-app flags and categories
/// as rules have left them so far (later rules see what earlier rules set).
/// </summary>
internal sealed class FrameMatchContext
{
    public FrameMatchContext(IReadOnlyList<EventFrame> frames, string platform, EventException? exception)
    {
        Frames = frames;
        Platform = platform;
        Exception = exception;
        InApp = new bool[frames.Count];
        Categories = new string?[frames.Count];
        Families = new string[frames.Count];
        FamilyBits = new int[frames.Count];
        for (var i = 0; i < frames.Count; i++)
        {
            Families[i] = PlatformFamily.Of(frames[i].Platform ?? platform);
            FamilyBits[i] = PlatformFamily.Bit(Families[i]);
            FamilyUnion |= FamilyBits[i];
            InApp[i] = frames[i].InApp == true;
            Categories[i] = frames[i].Category;
        }
    }

    public IReadOnlyList<EventFrame> Frames { get; }

    public string Platform { get; }

    public EventException? Exception { get; }

    public bool[] InApp { get; }

    public string?[] Categories { get; }

    /// <summary>Behaviour family per frame, computed once because most built-in rules test it first.</summary>
    public string[] Families { get; }

    /// <summary><see cref="PlatformFamily.Bit"/> of <see cref="Families"/>.</summary>
    public int[] FamilyBits { get; }

    /// <summary>Union of <see cref="FamilyBits"/>: a rule whose family mask misses it matches no frame.</summary>
    public int FamilyUnion { get; }
}

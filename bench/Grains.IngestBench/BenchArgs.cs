using System.Globalization;

namespace Grains.IngestBench;

/// <summary>The in-process bench modes' <c>--name value</c> options.</summary>
public static class BenchArgs
{
    public static int Int(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>A comma-separated list of integers, e.g. <c>--qualities 1,2,3</c>.</summary>
    public static int[] IntList(string[] args, string name, int[] fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? [.. args[index + 1].Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))] : fallback;
    }
}

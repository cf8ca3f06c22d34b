using System.Globalization;

namespace Grains.Server.Dashboard.IssueDetails;

/// <summary>
/// A tag value's share of the events that carried the tag, for the bars of the tag distribution:
/// the bar is exact, the label rounds, and the label never says 0% for a value that occurred nor
/// 100% for one that had company (as Sentry's tag distribution avoids too).
/// </summary>
internal static class TagShare
{
    /// <summary>The share in percent (0–100); 0 when the tag has no count.</summary>
    public static double Percent(long count, long total) =>
        total <= 0 || count <= 0 ? 0 : Math.Min(100, count * 100.0 / total);

    /// <summary>The share as a label: whole percents, <c>&lt;1%</c> and <c>&gt;99%</c> at the edges.</summary>
    public static string Label(long count, long total)
    {
        var percent = Percent(count, total);
        if (percent <= 0)
        {
            return "0%";
        }

        var rounded = Math.Round(percent, MidpointRounding.AwayFromZero);
        if (rounded < 1)
        {
            return "<1%";
        }

        if (rounded >= 100 && count < total)
        {
            return ">99%";
        }

        return rounded.ToString("0", CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>Events whose value is not among the top values shown (Sentry's "Other").</summary>
    public static long Other(long total, IEnumerable<long> shown) => Math.Max(0, total - shown.Sum());
}

using System.Globalization;

namespace Grains.Monitoring.Releases;

/// <summary>
/// A release version read as semver, the way Sentry reads release names (reference api-shapes §f):
/// <c>package@version</c> or a bare <c>version</c> (Sentry parses the bare form as a fake package), with
/// <c>major[.minor[.patch[.revision]]][-prerelease][+build]</c>.
/// </summary>
/// <remarks>
/// Precedence follows semver 2.0: numeric parts, then a version without pre-release above one with it,
/// pre-release identifiers compared numerically when both are numeric, numeric below alphanumeric, a
/// shorter list below a longer one with the same prefix. Build metadata does not take part (so
/// <c>1.0.0+a</c> and <c>1.0.0+b</c> are the same release for resolution, as semver says); neither does
/// the package.
/// </remarks>
public sealed record SemanticVersion(string? Package, long Major, long Minor, long Patch, long Revision, string? Prerelease, string? Build)
    : IComparable<SemanticVersion>
{
    /// <summary>The version, or null when <paramref name="release"/> is not semver.</summary>
    public static SemanticVersion? TryParse(string? release)
    {
        if (string.IsNullOrWhiteSpace(release))
        {
            return null;
        }

        string? package = null;
        var text = release;
        var at = release.LastIndexOf('@');
        if (at >= 0)
        {
            package = release[..at];
            text = release[(at + 1)..];
            if (package.Length == 0)
            {
                return null;
            }
        }

        string? build = null;
        var plus = text.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            build = text[(plus + 1)..];
            text = text[..plus];
            if (!Identifiers(build))
            {
                return null;
            }
        }

        string? prerelease = null;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash >= 0)
        {
            prerelease = text[(dash + 1)..];
            text = text[..dash];
            if (!Identifiers(prerelease))
            {
                return null;
            }
        }

        var parts = text.Split('.');
        if (parts.Length > 4)
        {
            return null;
        }

        var numbers = new long[4];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit)
                || !long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return null;
            }
        }

        return new SemanticVersion(package, numbers[0], numbers[1], numbers[2], numbers[3], prerelease, build);
    }

    /// <inheritdoc />
    public int CompareTo(SemanticVersion? other)
    {
        if (other is null)
        {
            return 1;
        }

        var c = Major.CompareTo(other.Major);
        c = c != 0 ? c : Minor.CompareTo(other.Minor);
        c = c != 0 ? c : Patch.CompareTo(other.Patch);
        c = c != 0 ? c : Revision.CompareTo(other.Revision);
        if (c != 0)
        {
            return c;
        }

        return (Prerelease, other.Prerelease) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => ComparePrerelease(Prerelease, other.Prerelease),
        };
    }

    /// <summary>Orders two release names by semver (both must parse).</summary>
    public static int Compare(string left, string right) =>
        (TryParse(left) ?? throw new ArgumentException($"'{left}' is not semver.", nameof(left)))
            .CompareTo(TryParse(right) ?? throw new ArgumentException($"'{right}' is not semver.", nameof(right)));

    private static bool Identifiers(string text) =>
        text.Length > 0 && text.Split('.').All(part => part.Length > 0 && part.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-'));

    private static int ComparePrerelease(string left, string right)
    {
        var a = left.Split('.');
        var b = right.Split('.');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            var aNumeric = long.TryParse(a[i], NumberStyles.None, CultureInfo.InvariantCulture, out var x);
            var bNumeric = long.TryParse(b[i], NumberStyles.None, CultureInfo.InvariantCulture, out var y);
            var c = (aNumeric, bNumeric) switch
            {
                (true, true) => x.CompareTo(y),
                (true, false) => -1,
                (false, true) => 1,
                _ => string.CompareOrdinal(a[i], b[i]),
            };
            if (c != 0)
            {
                return Math.Sign(c);
            }
        }

        return a.Length.CompareTo(b.Length);
    }
}

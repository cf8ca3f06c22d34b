using System.Globalization;

namespace Grains.Runtime;

/// <summary>The string forms of Guid and integer grain keys, shared by references and grains.</summary>
internal static class GrainKeys
{
    public static string FromGuid(Guid key) => key.ToString("N");

    public static string FromInteger(long key) => key.ToString(CultureInfo.InvariantCulture);

    public static Guid ToGuid(GrainId id) => Guid.TryParseExact(id.Key, "N", out var guid)
        ? guid
        : throw new InvalidOperationException($"Grain {id} does not have a Guid key.");

    public static long ToInteger(GrainId id) => long.TryParse(id.Key, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
        ? value
        : throw new InvalidOperationException($"Grain {id} does not have an integer key.");
}

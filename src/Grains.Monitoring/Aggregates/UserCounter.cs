namespace Grains.Monitoring.Aggregates;

/// <summary>
/// Distinct affected users: exact up to <see cref="ExactLimit"/> users (a set of 64-bit hashes), then a
/// <see cref="HyperLogLog"/> (≤ 2 % error) so a hot issue's state stays small.
/// </summary>
[GenerateSerializer, Alias("Grains.Monitoring.UserCounter")]
public sealed class UserCounter
{
    public const int ExactLimit = 10_000;

    /// <summary>Hashes of the users seen, while exact.</summary>
    [Id(0)]
    public HashSet<ulong>? Exact { get; set; } = [];

    /// <summary>HyperLogLog registers once beyond the exact range.</summary>
    [Id(1)]
    public byte[]? Registers { get; set; }

    public long Count => Exact?.Count ?? new HyperLogLog(Registers!).Estimate();

    public void Add(string userKey)
    {
        var hash = HyperLogLog.Hash(userKey);
        if (Exact is not null)
        {
            if (Exact.Add(hash) && Exact.Count > ExactLimit)
            {
                var sketch = new HyperLogLog();
                foreach (var seen in Exact)
                {
                    sketch.Add(seen);
                }

                Registers = sketch.Registers;
                Exact = null;
            }

            return;
        }

        new HyperLogLog(Registers!).Add(hash);
    }
}

namespace Grains.Runtime.Tests;

public sealed class StableHashTests
{
    /// <summary>Partition assignment depends on these values: they must never change.</summary>
    [Theory]
    [InlineData("issue", "1:abc", 3809506004769117733UL)]
    [InlineData("project", "42", 7055057295381054664UL)]
    [InlineData("ünïcode", "ключ", 2743311156674723821UL)]
    public void Hash_values_are_pinned(string type, string key, ulong expected)
    {
        // Independently: FNV-1a 64 over UTF-8(type) 0x00 UTF-8(key).
        Assert.Equal(expected, StableHash.Of(type, key));
    }

    [Fact]
    public void Partitions_spread_evenly()
    {
        var counts = new int[64];
        for (var i = 0; i < 64_000; i++)
        {
            counts[StableHash.Partition(new GrainId("issue", $"1:{i:x}"), 64)]++;
        }

        Assert.All(counts, count => Assert.InRange(count, 800, 1200));
    }

    [Fact]
    public void Type_and_key_are_separated()
    {
        Assert.NotEqual(StableHash.Of("ab", "c"), StableHash.Of("a", "bc"));
    }
}

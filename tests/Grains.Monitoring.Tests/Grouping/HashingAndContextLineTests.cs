using System.Security.Cryptography;
using System.Text;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Grouping.Strategies;

namespace Grains.Monitoring.Tests.Grouping;

/// <summary>The one-shot hash and the context-line white-space collapse against their plain definitions.</summary>
public class HashingAndContextLineTests
{
    public static TheoryData<string[]> ValueLists => new()
    {
        Array.Empty<string>(),
        new[] { string.Empty },
        new[] { "ab", "c" },
        new[] { "a", "bc" },
        new[] { "módulo", "函数", "😀" },
        new[] { new string('x', 600), new string('é', 700) }, // past the stack buffer
        Enumerable.Range(0, 300).Select(i => $"value-{i}").ToArray(),
    };

    [Theory]
    [MemberData(nameof(ValueLists))]
    public void Hash_is_md5_of_the_concatenated_utf8(string[] values)
    {
        var expected = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(string.Concat(values))));
        Assert.Equal(expected, GroupingHash.FromValues(values));
        Assert.Equal(expected, GroupingHash.FromValues(values.Select(v => v))); // not a list
    }

    [Fact]
    public void Hash_of_nothing_is_the_empty_constant() => Assert.Equal(GroupingHash.Empty, GroupingHash.FromValues([]));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("x")]
    [InlineData("    const a = b;")]
    [InlineData("const a = b;   ")]
    [InlineData("a  b")]
    [InlineData("a\tb")]
    [InlineData("\ta b\t")]
    [InlineData("a \u00a0b")]
    [InlineData("a\u2003b")]
    [InlineData(" a b c d ")]
    [InlineData("a\r\nb")]
    public void Context_line_collapse_equals_split_and_join(string raw)
    {
        var expected = string.Join(' ', raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(expected, FrameStrategy.CollapseWhiteSpace(raw));
    }
}

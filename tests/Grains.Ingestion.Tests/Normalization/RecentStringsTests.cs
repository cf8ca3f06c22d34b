using System.Text;
using Grains.Ingestion.Normalization;

namespace Grains.Ingestion.Tests.Normalization;

/// <summary>The reader's shared table of recent strings: it may only ever return the text of the bytes it is given.</summary>
public sealed class RecentStringsTests
{
    public static TheoryData<string, bool> Texts => new()
    {
        { "app/components/Button.tsx", true },
        { "x", true },
        { new string('a', RecentStrings.MaxLength), true },
        { new string('a', RecentStrings.MaxLength + 1), false }, // too long to keep
        { "caf\u00e9", false }, // not ASCII
        { "\u2603 snowman", false },
        { "tab\tand\u007f", true },
        { "", true }, // the empty string is a singleton anyway
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void A_text_read_twice_is_its_text_and_shared_when_kept(string text, bool shared)
    {
        var bytes = Encoding.UTF8.GetBytes(text);

        var first = RecentStrings.Get(bytes);
        var second = RecentStrings.Get(bytes);

        Assert.Equal(text, first);
        Assert.Equal(text, second);
        Assert.Equal(shared, ReferenceEquals(first, second));
    }

    [Fact]
    public void Many_texts_sharing_slots_never_give_another_text()
    {
        // Four times as many texts as slots, read twice, interleaved: every slot is replaced many times.
        var texts = Enumerable.Range(0, 4 * RecentStrings.Slots).Select(i => $"module{i % 97}/file{i}.js").ToArray();
        for (var round = 0; round < 2; round++)
        {
            foreach (var text in texts)
            {
                Assert.Equal(text, RecentStrings.Get(Encoding.UTF8.GetBytes(text)));
            }
        }
    }

    [Fact]
    public void Texts_of_the_same_length_differing_in_one_byte_stay_apart()
    {
        Assert.Equal("abc", RecentStrings.Get("abc"u8));
        Assert.Equal("abd", RecentStrings.Get("abd"u8));
        Assert.Equal("abc", RecentStrings.Get("abc"u8));
    }
}

using Grains.Monitoring.Grouping.Parameterization;

namespace Grains.Monitoring.Tests.Grouping;

/// <summary>The fast parameterization path (trigger pre-check, per-alternative merge) must equal the combined regex.</summary>
public class ParameterizerEquivalenceTests
{
    private static readonly string[] Fragments =
    [
        "error", " ", "  ", "42", "-7", "1.5", "1.5s", "123ms", "0x7fbb", "deadbeef", "DEADBEEF01", "a93c7d2", "abcdefab", "abcdefabcdefabcdefabcdefabcdefab",
        "2eb7d3ba-0d45-4c33-9c5f-8d9a5e0e1f6c", "abcdefab-abcd-abcd-abcd-abcdefabcdef", "da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "foo.bar@example.com", "https://example.com/a?b=1", "api.example.com", "HOST.ORG", "192.168.0.1", "::1", "fe80::1", "2001:db8::1",
        "Option::unwrap()", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "2019-04-17T20:29:05Z", "Mon, 02 Jan 2006 15:04:05 MST",
        "12:34 PM", "13:45:07", "2024-02-29", "datetime.datetime(2020, 1, 2)", "tx274a77a8975c4a66aeb24-0052d95365", "name='alice'", "key=\"v\"",
        "flag=True", "=false", "'", "\"", "=", ":", ".", "@", "-", "\n", "é", "٣", "utf-8", "4,150,908", "maisey-908", "user383", "(reading 'x')",
        "Cannot read properties of undefined", "invalid literal for int() with base 10:", "Jan 02, 1999", "x", "_", "faced", "accede",
    ];

    [Fact]
    public void Fast_path_matches_combined_regex()
    {
        var parameterizer = Parameterizer.Default;
        var random = new Random(1234);
        for (var i = 0; i < 5_000; i++)
        {
            var parts = random.Next(1, 8);
            var text = string.Concat(Enumerable.Range(0, parts).Select(_ => Fragments[random.Next(Fragments.Length)]));
            var expected = parameterizer.ParameterizeCombined(text);
            var actual = parameterizer.Parameterize(text);
            Assert.True(expected == actual, $"input {text}: expected {expected}, got {actual}");
        }
    }

    [Fact]
    public void Fast_path_matches_combined_regex_on_single_fragments()
    {
        foreach (var text in Fragments)
        {
            Assert.Equal(Parameterizer.Default.ParameterizeCombined(text), Parameterizer.Default.Parameterize(text));
        }
    }

    [Fact]
    public void Remembered_results_equal_computed_ones_and_the_memo_stays_bounded()
    {
        // A parameterizer of its own: the shared one's memo is filled by the other tests.
        var parameterizer = new Parameterizer();
        var random = new Random(99);
        var inputs = new List<string>();
        for (var i = 0; i < Parameterizer.MemoEntries + 500; i++)
        {
            inputs.Add($"{Fragments[random.Next(Fragments.Length)]} {i} {Fragments[random.Next(Fragments.Length)]}");
        }

        foreach (var round in new[] { 1, 2 })
        {
            foreach (var text in inputs)
            {
                var expected = parameterizer.ParameterizeCombined(text);
                Assert.True(expected == parameterizer.Parameterize(text), $"round {round}, input {text}");
                Assert.Equal(expected, parameterizer.Parameterize(text));
            }
        }

        Assert.InRange(parameterizer.MemoCount, 1, Parameterizer.MemoEntries);
    }

    [Fact]
    public void Long_inputs_are_not_remembered()
    {
        var parameterizer = new Parameterizer();
        var text = "id 42 " + new string('x', Parameterizer.MemoMaxLength);

        Assert.Equal(parameterizer.ParameterizeCombined(text), parameterizer.Parameterize(text));
        Assert.Equal(0, parameterizer.MemoCount);
        Assert.Equal(parameterizer.ParameterizeCombined("id 42"), parameterizer.Parameterize("id 42"));
        Assert.Equal(1, parameterizer.MemoCount);
    }
}

using Grains.Monitoring.Grouping;
using Xunit.Abstractions;

namespace Grains.Monitoring.Tests.Grouping;

public class DebugDump
{
    private readonly ITestOutputHelper _output;

    public DebugDump(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Dump()
    {
        var ok = 0;
        foreach (var name in GroupingFixtures.Names)
        {
            var input = GroupingFixtures.LoadInput(name);
            var result = GroupingEngine.Compute(input, GroupingFixtures.ConfigFor(input));
            var expected = GroupingFixtures.ExpectedFor(name)["hashes"]!.AsArray().Select(h => h!.GetValue<string>()).ToList();
            var match = expected.SequenceEqual(result.Hashes);
            if (match) ok++;
            _output.WriteLine($"{(match ? "OK  " : "FAIL")} {name}: got [{string.Join(",", result.Hashes)}] expected [{string.Join(",", expected)}]");
            if (!match)
            {
                foreach (var v in result.Variants)
                {
                    _output.WriteLine($"    {v.Name} {v.Hash} {v.Hint} :: {string.Join(" | ", v.HashedValues ?? Array.Empty<string>())}");
                }
            }
        }

        _output.WriteLine($"{ok} matched");
    }
}

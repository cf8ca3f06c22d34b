using Grains.AppHost.Cluster;

namespace Grains.AppHost.Tests;

public sealed class ChildProcessLogTests
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();

    private ChildProcessLog Log(string name, Dictionary<string, string>? redactions = null) =>
        new(name, new ConsoleOutput(_out, _error), redactions);

    private static string[] Lines(StringWriter writer) => writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Every_line_is_prefixed_with_the_child_name_and_errors_go_to_standard_error()
    {
        var log = Log("silo2");
        log.Write("info: started");
        log.Write("fail: broken", isError: true);
        log.Write("");
        Assert.Equal(["[silo2] info: started", "[silo2] "], Lines(_out));
        Assert.Equal(["[silo2] fail: broken"], Lines(_error));
    }

    [Fact]
    public void Secrets_are_replaced_by_their_labels_everywhere()
    {
        var seen = new List<string>();
        var log = Log("silo1", new() { ["grains_secret123"] = "<admin token>", ["s3cr3t"] = "<cluster secret>", [""] = "ignored" });
        log.LineReceived += seen.Add;

        log.Write("  Admin token: grains_secret123 and again grains_secret123, secret s3cr3t\r");

        const string shown = "  Admin token: <admin token> and again <admin token>, secret <cluster secret>";
        Assert.Equal(["[silo1] " + shown], Lines(_out));
        Assert.Equal([shown], seen);
        Assert.Equal([shown], log.Tail);
        Assert.DoesNotContain("grains_secret123", _out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_longer_secret_containing_a_shorter_one_is_replaced_whole()
    {
        var log = Log("x", new() { ["abc"] = "<short>", ["abcdef"] = "<long>" });
        Assert.Equal("<long> <short>", log.Redact("abcdef abc"));
    }

    [Fact]
    public async Task Pump_copies_a_stream_line_by_line_and_keeps_a_short_tail()
    {
        var log = Log("pg");
        var text = string.Join("\n", Enumerable.Range(1, 30).Select(i => $"line {i}")) + "\n";
        await log.PumpAsync(new StringReader(text), isError: false);

        Assert.Equal(30, Lines(_out).Length);
        Assert.Equal("[pg] line 30", Lines(_out)[^1]);
        Assert.Equal(20, log.Tail.Count);
        Assert.Equal("line 11", log.Tail[0]);
    }

    [Fact]
    public async Task Lines_from_many_children_never_interleave()
    {
        var console = new ConsoleOutput(_out, _error);
        var logs = Enumerable.Range(1, 4).Select(i => new ChildProcessLog($"silo{i}", console)).ToList();
        await Task.WhenAll(logs.Select(log => Task.Run(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                log.Write(new string('x', 200));
            }
        })));

        var lines = Lines(_out);
        Assert.Equal(2000, lines.Length);
        Assert.All(lines, line => Assert.Matches(@"^\[silo\d\] x{200}$", line));
    }

    [Fact]
    public void Alarms_stand_out_on_standard_error()
    {
        new ConsoleOutput(_out, _error).Alarm("silo2 exited\nsecond line");
        Assert.Contains("!!! silo2 exited", _error.ToString(), StringComparison.Ordinal);
        Assert.Contains("!!! second line", _error.ToString(), StringComparison.Ordinal);
        Assert.Empty(_out.ToString());
    }
}

using Grains.Monitoring.Grouping.Parameterization;

namespace Grains.Monitoring.Tests.Grouping;

public class ParameterizationTests
{
    /// <summary>Each pattern of the reference table with inputs and expected outputs (incl. accepted false positives).</summary>
    public static TheoryData<string, string, string> Cases => new()
    {
        { "email", "contact foo.bar+baz@example.co.uk now", "contact <email> now" },
        { "url", "fetch https://example.com/a/b?c=1 failed", "fetch <url> failed" },
        { "url", "ws://localhost:3000/socket", "<url>" },
        { "hostname", "api1.example.com", "<hostname>" },
        { "hostname", "HOST.EXAMPLE.ORG down", "<hostname> down" },
        { "ip", "0.0.0.0:80", "<ip>:<int>" },
        { "ip", "from 192.168.0.1", "from <ip>" },
        { "ip", "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "<ip>" },
        { "ip", "via ::1)", "via <ip>)" },
        { "ip", "link fe80::1 up", "link <ip> up" },
        { "ip (guard)", "Option::unwrap()", "Option::unwrap()" },
        { "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "<traceparent>" },
        { "traceparent", "1-5759e988-bd862e3fe1be46a994272793", "<traceparent>" },
        { "uuid", "missing object 2eb7d3ba-0d45-4c33-9c5f-8d9a5e0e1f6c", "missing object <uuid>" },
        { "sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709", "<sha1>" },
        { "md5", "d41d8cd98f00b204e9800998ecf8427e", "<md5>" },
        { "date", "2019-04-17T20:29:05Z", "<date>" },
        { "date", "Mon, 02 Jan 2006 15:04:05 MST", "<date>" },
        { "date", "Wed Apr 17 22:31:45 2019: boom", "<date>: boom" },
        { "date", "job started at 12:34 PM", "job started at <date>" },
        { "date", "at 13:45:07 today", "at <date> today" },
        { "date", "on 2024-02-29", "on <date>" },
        { "date", "datetime.datetime(2020, 1, 2, 3, 4)", "<date>" },
        { "duration", "request took 123ms", "request took <duration>" },
        { "duration", "slept 1.5s", "slept <duration>" },
        { "swift_txn_id", "tx274a77a8975c4a66aeb24-0052d95365-cluster01", "<swift_txn_id>" },
        { "hex", "at 0x7fbb00112233>", "at <hex>>" },
        { "hex", "12345678", "<hex>" },
        { "hex", "DEADBEEF01", "<hex>" },
        { "git_sha", "commit a93c7d2", "commit <git_sha>" },
        { "float", "took 1234.33 units", "took <float> units" },
        { "float", "-0.5", "<float>" },
        { "int", "error 42", "error <int>" },
        { "int", "maisey-908", "maisey-<int>" },
        { "int", "delta -7", "delta <int>" },
        { "int (accepted false positive)", "utf-8", "utf-<int>" },
        { "int (accepted false positive)", "4,150,908", "<int>,<int>,<int>" },
        { "quoted_str", "invalid record name='alice'", "invalid record name=<quoted_str>" },
        { "quoted_str", "key=\"value\"", "key=<quoted_str>" },
        { "quoted_str (only after =)", "KeyError: 'alice'", "KeyError: 'alice'" },
        { "bool", "flag=True", "flag=<bool>" },
        { "bool (only right after =)", "a = False", "a = False" },
        { "mixed", "Loading chunk 158 failed.\n(timeout: https://example.com/a.js)", "Loading chunk <int> failed.\n(timeout: <url>" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Pattern_replaces_values(string pattern, string input, string expected)
    {
        Assert.True(expected == Parameterizer.Default.Parameterize(input), $"{pattern}: {Parameterizer.Default.Parameterize(input)}");
    }

    [Fact]
    public void Every_pattern_of_the_table_is_exercised()
    {
        var covered = Cases.Select(row => ((string)row[0]).Split(' ')[0]).ToHashSet();
        foreach (var pattern in ParameterizationPatterns.Default)
        {
            Assert.Contains(pattern.Name, covered);
        }
    }

    [Theory]
    [InlineData("single line", "single line")]
    [InlineData("line one\nline two", "line one\nline two")]
    [InlineData("line one\n\nline two\nline three", "line one\nline two...")]
    [InlineData("\n\nfirst\nsecond", "first\nsecond...")]
    [InlineData("crlf\r\nline", "crlf\nline...")]
    [InlineData("trailing newline\n", "trailing newline...")]
    [InlineData("   ", "...")]
    [InlineData("", "")]
    public void Message_is_trimmed_to_two_non_blank_lines(string input, string expected)
    {
        Assert.Equal(expected, MessageNormalizer.TrimToTwoLines(input));
    }

    [Fact]
    public void Normalize_trims_then_parameterizes()
    {
        Assert.Equal("User <int> failed\nretry <int>...", MessageNormalizer.Normalize("User 12 failed\nretry 3\nthird line 99"));
        Assert.Equal("User <int> failed\nretry <int>\nthird line <int>", MessageNormalizer.Normalize("User 12 failed\nretry 3\nthird line 99", trim: false));
    }

    [Fact]
    public void Pathological_input_finishes_quickly()
    {
        var input = string.Concat(Enumerable.Repeat("1.2.3.4.5.6.7.8:9:a:b:c:d:e:f ", 2000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Parameterizer.Default.Parameterize(input);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), watch.Elapsed.ToString());
    }
}

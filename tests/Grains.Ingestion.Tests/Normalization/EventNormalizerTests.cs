using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Ingestion.Normalization;
using Grains.Ingestion.Tests.Support;

namespace Grains.Ingestion.Tests.Normalization;

public class EventNormalizerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);
    private static readonly double NowSeconds = Now.ToUnixTimeMilliseconds() / 1000.0;
    private static readonly EventNormalizer Normalizer = new();

    private static JsonObject Run(string json, NormalizationContext? context = null) =>
        Normalizer.Normalize(Encoding.UTF8.GetBytes(json), context ?? new NormalizationContext(Now, IPAddress.Parse("203.0.113.7")));

    [Fact]
    public void Node_event_is_normalized()
    {
        var ev = Run("{\"exception\":{\"values\":[{\"type\":\"SyntaxError\",\"value\":\"bad\",\"stacktrace\":{\"frames\":[{\"function\":\"main\",\"lineno\":19,\"in_app\":true}]},\"mechanism\":{\"type\":\"generic\",\"handled\":true}}]},\"event_id\":\"76b8cddbe2394c689cab4326b9217bd3\",\"level\":\"error\",\"platform\":\"node\",\"contexts\":{\"trace\":{\"trace_id\":\"c2907034d37043119a8564b83823026e\",\"span_id\":\"9bb69aee80ed2b13\"},\"runtime\":{\"name\":\"node\",\"version\":\"v20.20.2\"}},\"server_name\":\"test-host\",\"timestamp\":" + (NowSeconds - 1.5).ToString(System.Globalization.CultureInfo.InvariantCulture) + ",\"environment\":\"test\",\"release\":\"demo@1.0.0\",\"sdk\":{\"name\":\"sentry.javascript.node\",\"version\":\"11.12.0\"},\"tags\":{\"run\":\"ci\"}}");

        Assert.Equal("76b8cddbe2394c689cab4326b9217bd3", (string?)ev["event_id"]);
        Assert.Equal("error", (string?)ev["level"]);
        Assert.Equal("node", (string?)ev["platform"]);
        Assert.Equal("error", (string?)ev["type"]);
        Assert.Equal(NowSeconds - 1.5, (double)ev["timestamp"]!, 3);
        Assert.Equal(NowSeconds, (double)ev["received"]!, 3);
        Assert.Equal("[[\"run\",\"ci\"]]", ev["tags"]!.ToJsonString());
        Assert.Equal("trace", (string?)ev["contexts"]!["trace"]!["type"]);
        Assert.Equal("runtime", (string?)ev["contexts"]!["runtime"]!["type"]);
        Assert.Equal("SyntaxError", (string?)ev["exception"]!["values"]![0]!["type"]);
        Assert.Null(ev["_meta"]);
        Assert.Null(ev["errors"]);
    }

    [Theory]
    [InlineData("{\"event_id\":\"76B8CDDB-E239-4C68-9CAB-4326B9217BD3\"}", "76b8cddbe2394c689cab4326b9217bd3")]
    [InlineData("{\"event_id\":\"76b8cddbe2394c689cab4326b9217bd3\"}", "76b8cddbe2394c689cab4326b9217bd3")]
    public void Event_id_forms(string json, string expected)
    {
        Assert.Equal(expected, (string?)Run(json)["event_id"]);
    }

    [Fact]
    public void Event_id_is_generated_or_taken_from_the_envelope()
    {
        Assert.Matches("^[0-9a-f]{32}$", (string?)Run("{}")["event_id"]);
        var invalid = Run("{\"event_id\":\"xyz\"}");
        Assert.Matches("^[0-9a-f]{32}$", (string?)invalid["event_id"]);
        Assert.Equal("xyz", (string?)invalid["_meta"]!["event_id"]![""]!["val"]);
        var header = Run("{\"event_id\":\"76b8cddbe2394c689cab4326b9217bd3\"}", new NormalizationContext(Now, EventId: "9ec79c33-ec99-42ab-8353-589fcb2e04dc"));
        Assert.Equal("9ec79c33ec9942ab8353589fcb2e04dc", (string?)header["event_id"]);
    }

    [Theory]
    [InlineData("\"2026-11-22T03:59:00Z\"", -60)]
    [InlineData("\"2026-11-22T03:59:00\"", -60)]
    [InlineData("\"2026-11-22T04:59:00+01:00\"", -60)]
    [InlineData("1795319940", 0)]
    [InlineData("\"2026-11-22T03:59:30.5Z\"", 30.5)]
    public void Timestamps_iso_and_float(string value, double offsetFromNow)
    {
        var context = new NormalizationContext(DateTimeOffset.FromUnixTimeSeconds(1795319940));
        var ev = Run($"{{\"timestamp\":{value}}}", context);
        var expected = value.StartsWith('"') ? DateTimeOffset.Parse(value.Trim('"'), null, System.Globalization.DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds() / 1000.0 : 1795319940 + offsetFromNow;
        Assert.Equal(expected, (double)ev["timestamp"]!, 3);
    }

    [Theory]
    [InlineData(3600, "future_timestamp")]
    [InlineData(-40 * 86400, "past_timestamp")]
    public void Out_of_range_timestamps_are_clamped(int offsetSeconds, string error)
    {
        var ev = Run($"{{\"timestamp\":{NowSeconds + offsetSeconds}}}");
        Assert.Equal(NowSeconds, (double)ev["timestamp"]!, 3);
        Assert.Equal(error, (string?)ev["errors"]![0]!["type"]);
        Assert.Equal("timestamp", (string?)ev["errors"]![0]!["name"]);
    }

    [Fact]
    public void Missing_or_invalid_timestamp_becomes_received()
    {
        Assert.Equal(NowSeconds, (double)Run("{}")["timestamp"]!, 3);
        var ev = Run("{\"timestamp\":\"not a time\"}");
        Assert.Equal(NowSeconds, (double)ev["timestamp"]!, 3);
        Assert.NotNull(ev["_meta"]!["timestamp"]![""]!["err"]);
    }

    [Fact]
    public void Clock_drift_is_corrected_past_55_minutes_only()
    {
        var clientTime = Now.AddHours(-2);
        var drifted = Run($"{{\"timestamp\":{clientTime.ToUnixTimeSeconds() - 10}}}", new NormalizationContext(Now, SentAt: clientTime));
        Assert.Equal(NowSeconds - 10, (double)drifted["timestamp"]!, 3);

        var small = Run($"{{\"timestamp\":{NowSeconds - 10}}}", new NormalizationContext(Now, SentAt: Now.AddMinutes(-10)));
        Assert.Equal(NowSeconds - 10, (double)small["timestamp"]!, 3);
    }

    [Theory]
    [InlineData("\"warn\"", "warning")]
    [InlineData("\"WARNING\"", "warning")]
    [InlineData("\"critical\"", "fatal")]
    [InlineData("\"fatal\"", "fatal")]
    [InlineData("\"log\"", "info")]
    [InlineData("\"debug\"", "debug")]
    [InlineData("30", "warning")]
    [InlineData("50", "fatal")]
    [InlineData("\"10\"", "debug")]
    [InlineData("\"loud\"", "error")]
    [InlineData("17", "error")]
    [InlineData("null", "error")]
    public void Level_aliases(string value, string expected)
    {
        Assert.Equal(expected, (string?)Run($"{{\"level\":{value}}}")["level"]);
    }

    [Theory]
    [InlineData("\"csharp\"", "csharp")]
    [InlineData("\"javascript\"", "javascript")]
    [InlineData("\"dart\"", "other")]
    [InlineData("42", "other")]
    public void Platform_whitelist(string value, string expected)
    {
        Assert.Equal(expected, (string?)Run($"{{\"platform\":{value}}}")["platform"]);
        Assert.Equal("other", (string?)Run("{}")["platform"]);
    }

    [Fact]
    public void Tags_object_and_pairs_become_canonical_pairs()
    {
        var fromObject = Run("{\"tags\":{\"my tag \":\" v \",\"n\":5,\"b\":true,\"z\":null,\"bad key!\":\"x\",\"long\":\"" + new string('v', 201) + "\",\"nl\":\"a\\nb\",\"obj\":{}}}");
        Assert.Equal("[[\"my-tag-\",\"v\"],[\"n\",\"5\"],[\"b\",\"True\"],[\"z\",\"\"]]", fromObject["tags"]!.ToJsonString());
        Assert.NotNull(fromObject["_meta"]!["tags"]!["4"]![""]!["err"]);

        var fromPairs = Run("{\"tags\":[[\"a\",\"1\"],[\"a\",\"2\"],[\"bad\"],\"x\"]}");
        Assert.Equal("[[\"a\",\"1\"],[\"a\",\"2\"]]", fromPairs["tags"]!.ToJsonString());
    }

    [Theory]
    [InlineData("{\"exception\":{\"values\":[{\"type\":\"E\",\"value\":\"v\"}]}}")]
    [InlineData("{\"exception\":[{\"type\":\"E\",\"value\":\"v\"}]}")]
    [InlineData("{\"exception\":{\"type\":\"E\",\"value\":\"v\"}}")]
    public void Exception_shapes_become_values(string json)
    {
        var ev = Run(json);
        Assert.Equal("[{\"type\":\"E\",\"value\":\"v\"}]", ev["exception"]!["values"]!.ToJsonString());
        Assert.Equal("error", (string?)ev["type"]);
    }

    [Fact]
    public void Exception_values_are_cleaned()
    {
        var ev = Run("{\"exception\":{\"values\":[{\"value\":42,\"mechanism\":{\"handled\":false}},{},\"junk\"]}}");
        var values = ev["exception"]!["values"]!.AsArray();
        Assert.Single(values);
        Assert.Equal("42", (string?)values[0]!["value"]);
        Assert.Equal("generic", (string?)values[0]!["mechanism"]!["type"]);
        Assert.NotNull(ev["_meta"]!["exception"]!["values"]!["1"]);
        Assert.NotNull(ev["_meta"]!["exception"]!["values"]!["2"]);
    }

    [Fact]
    public void Long_stack_traces_keep_both_ends()
    {
        var frames = string.Join(',', Enumerable.Range(0, 80).Select(i => $"{{\"function\":\"f{i}\"}}"));
        var ev = Run($"{{\"exception\":[{{\"type\":\"E\",\"stacktrace\":{{\"frames\":[{frames}]}}}}]}}");
        var kept = ev["exception"]!["values"]![0]!["stacktrace"]!["frames"]!.AsArray();
        Assert.Equal(50, kept.Count);
        Assert.Equal("f0", (string?)kept[0]!["function"]);
        Assert.Equal("f79", (string?)kept[49]!["function"]);
        Assert.Equal(80, (int)ev["_meta"]!["exception"]!["values"]!["0"]!["stacktrace"]!["frames"]![""]!["len"]!);
    }

    [Theory]
    [InlineData("{\"message\":\"plain\"}", null, "plain")]
    [InlineData("{\"message\":{\"message\":\"User %s has %s items\",\"params\":[\"alice\",3]}}", "User %s has %s items", "User alice has 3 items")]
    [InlineData("{\"logentry\":{\"message\":\"User %s has %s items\",\"params\":[\"alice\",3]}}", "User %s has %s items", "User alice has 3 items")]
    [InlineData("{\"logentry\":{\"message\":\"Hello {0}, {1}%\",\"params\":[\"bob\",5]}}", "Hello {0}, {1}%", "Hello bob, 5%")]
    [InlineData("{\"logentry\":{\"message\":\"%(who)s left\",\"params\":{\"who\":\"carol\"}}}", "%(who)s left", "carol left")]
    [InlineData("{\"logentry\":{\"formatted\":\"done\"},\"message\":\"legacy\"}", null, "done")]
    [InlineData("{\"logentry\":{},\"message\":\"legacy\"}", null, "legacy")]
    [InlineData("{\"message\":42}", null, "42")]
    [InlineData("{\"logentry\":\"as string\"}", null, "as string")]
    public void Message_and_logentry(string json, string? template, string formatted)
    {
        var ev = Run(json);
        Assert.Equal(template, (string?)ev["logentry"]!["message"]);
        Assert.Equal(formatted, (string?)ev["logentry"]!["formatted"]);
        Assert.Null(ev["message"]);
        Assert.Equal("default", (string?)ev["type"]);
    }

    [Fact]
    public void Message_false_is_ignored_and_long_messages_truncated()
    {
        Assert.Null(Run("{\"message\":false}")["logentry"]);
        var ev = Run("{\"message\":\"" + new string('m', 9000) + "\"}");
        Assert.Equal(8192, ((string)ev["logentry"]!["formatted"]!).Length);
        Assert.EndsWith("...", (string)ev["logentry"]!["formatted"]!);
        var meta = ev["_meta"]!["logentry"]!["formatted"]![""]!;
        Assert.Equal(9000, (int)meta["len"]!);
        Assert.Equal("[[\"!limit\",\"s\",8189,8192]]", meta["rem"]!.ToJsonString());
    }

    [Fact]
    public void User_ip_auto_is_replaced_by_the_connection_address()
    {
        var ev = Run("{\"user\":{\"id\":7,\"ip_address\":\"{{auto}}\",\"email\":\"a@b.c\"}}");
        Assert.Equal("203.0.113.7", (string?)ev["user"]!["ip_address"]);
        Assert.Equal("7", (string?)ev["user"]!["id"]);

        var inferred = Run("{\"platform\":\"javascript\"}");
        Assert.Equal("203.0.113.7", (string?)inferred["user"]!["ip_address"]);
        var never = Run("{\"platform\":\"javascript\",\"sdk\":{\"settings\":{\"infer_ip\":\"never\"}}}");
        Assert.Null(never["user"]);
        var bad = Run("{\"user\":{\"ip_address\":\"999.1.1.1\"}}");
        Assert.Null(bad["user"]!["ip_address"]);
        Assert.NotNull(bad["_meta"]!["user"]!["ip_address"]);
        Assert.Null(Run("{\"user\":{\"ip_address\":\"{{auto}}\"}}", new NormalizationContext(Now))["user"]!["ip_address"]);
    }

    [Fact]
    public void Contexts_get_types_and_invalid_entries_are_dropped()
    {
        var ev = Run("{\"contexts\":{\"os\":{\"name\":\"Linux\"},\"gpu\":{\"type\":\"gpu\",\"name\":\"x\"},\"bad\":\"string\",\"trace\":{\"trace_id\":\"nothex\",\"span_id\":\"9BB69AEE80ED2B13\"}}}");
        Assert.Equal("os", (string?)ev["contexts"]!["os"]!["type"]);
        Assert.Null(ev["contexts"]!["bad"]);
        Assert.Null(ev["contexts"]!["trace"]!["trace_id"]);
        Assert.Equal("9bb69aee80ed2b13", (string?)ev["contexts"]!["trace"]!["span_id"]);
        Assert.NotNull(ev["_meta"]!["contexts"]!["bad"]);
    }

    [Fact]
    public void Request_headers_query_and_cookies_become_pairs()
    {
        var ev = Run("{\"request\":{\"method\":\"post\",\"url\":\"https://x/y\",\"headers\":{\"content-type\":\"text/plain\"},\"query_string\":\"?a=1&b=x+y\",\"cookies\":\"s=1; t=2\",\"env\":{\"REMOTE_ADDR\":\"{{auto}}\"}}}");
        var request = ev["request"]!;
        Assert.Equal("POST", (string?)request["method"]);
        Assert.Equal("[[\"Content-Type\",\"text/plain\"]]", request["headers"]!.ToJsonString());
        Assert.Equal("[[\"a\",\"1\"],[\"b\",\"x y\"]]", request["query_string"]!.ToJsonString());
        Assert.Equal("[[\"s\",\"1\"],[\"t\",\"2\"]]", request["cookies"]!.ToJsonString());
        Assert.Equal("203.0.113.7", (string?)request["env"]!["REMOTE_ADDR"]);
    }

    [Fact]
    public void Breadcrumbs_values_or_list_keep_the_latest_100()
    {
        var crumbs = string.Join(',', Enumerable.Range(0, 120).Select(i => $"{{\"message\":\"c{i}\",\"timestamp\":\"2026-11-22T03:00:00Z\",\"level\":\"warn\"}}"));
        var ev = Run($"{{\"breadcrumbs\":[{crumbs}]}}");
        var values = ev["breadcrumbs"]!["values"]!.AsArray();
        Assert.Equal(100, values.Count);
        Assert.Equal("c20", (string?)values[0]!["message"]);
        Assert.Equal("warning", (string?)values[0]!["level"]);
        Assert.Equal(1795316400.0, (double)values[0]!["timestamp"]!, 3);
        Assert.Equal(120, (int)ev["_meta"]!["breadcrumbs"]!["values"]![""]!["len"]!);

        Assert.Single(Run("{\"breadcrumbs\":{\"values\":[{\"message\":\"x\"}]}}")["breadcrumbs"]!["values"]!.AsArray());
    }

    [Fact]
    public void Threads_values_and_top_level_stacktrace()
    {
        var ev = Run("{\"threads\":[{\"id\":1,\"crashed\":true,\"stacktrace\":{\"frames\":[{\"function\":\"a\"}]}}],\"stacktrace\":{\"frames\":[{\"function\":\"b\"}]}}");
        Assert.Equal(1, (int)ev["threads"]!["values"]![0]!["id"]!);
        Assert.Equal("b", (string?)ev["stacktrace"]!["frames"]![0]!["function"]);
    }

    [Fact]
    public void Sdk_environment_release_dist_are_cleaned()
    {
        var ev = Run("{\"environment\":\"  prod  \",\"release\":\" my@1.0 \",\"dist\":\"build 7\",\"sdk\":{\"name\":\"sentry.python\",\"version\":\"2.0\"}}");
        Assert.Equal("prod", (string?)ev["environment"]);
        Assert.Equal("my@1.0", (string?)ev["release"]);
        Assert.Null(ev["dist"]);
        Assert.NotNull(ev["_meta"]!["dist"]);
        Assert.Equal("sentry.python", (string?)ev["sdk"]!["name"]);

        Assert.Null(Run("{\"release\":\"latest\"}")["release"]);
        Assert.Null(Run("{\"environment\":\"a/b\"}")["environment"]);
        Assert.Null(Run("{\"release\":\"   \"}")["release"]);
        Assert.Equal("64", (string?)Run("{\"dist\":64}")["dist"]);
        Assert.Equal(64, ((string)Run("{\"environment\":\"" + new string('e', 100) + "\"}")["environment"]!).Length);

        var filled = Run("{}", new NormalizationContext(Now, SdkName: "sentry.javascript.node", SdkVersion: "11.12.0"));
        Assert.Equal("11.12.0", (string?)filled["sdk"]!["version"]);
    }

    [Fact]
    public void Extra_values_are_trimmed_with_meta()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"k\":", 10)) + "1" + new string('}', 10);
        var ev = Run("{\"extra\":{\"big\":\"" + new string('x', 20000) + "\",\"deep\":" + deep + ",\"small\":1}}");
        var big = (string)ev["extra"]!["big"]!;
        Assert.True(big.Length < 16384);
        Assert.EndsWith("...", big);
        Assert.Equal(20000, (int)ev["_meta"]!["extra"]!["big"]![""]!["len"]!);
        Assert.Equal(1, (int)ev["extra"]!["small"]!);

        // Bags keep 7 levels below the entry (Relay's BagSize): the 8th "k" object is removed and noted.
        JsonNode? node = ev["extra"]!["deep"];
        var levels = 0;
        while (node is JsonObject obj && obj["k"] is { } next)
        {
            node = next;
            levels++;
        }

        Assert.Equal(6, levels);
        Assert.Contains("[\"!limit\",\"x\"]", ev["_meta"]!["extra"]!["deep"]!.ToJsonString());
    }

    [Fact]
    public void Fingerprint_and_client_meta()
    {
        var ev = Run("{\"fingerprint\":[\"{{ default }}\",3,null,{}],\"_meta\":{\"forged\":true},\"type\":\"csp\"}");
        Assert.Equal("[\"{{ default }}\",\"3\"]", ev["fingerprint"]!.ToJsonString());
        Assert.Null(ev["_meta"]);
        Assert.Equal("default", (string?)ev["type"]);
        Assert.Equal("transaction", (string?)Run("{\"type\":\"transaction\"}")["type"]);
    }

    public static TheoryData<string, string> InvalidPayloads => new()
    {
        { "", "invalid JSON data" },
        { "{", "invalid JSON data" },
        { "{\"a\":1,}", "invalid JSON data" },
        { "[1,2,3]", "invalid JSON data" },
        { "\"just a string\"", "invalid JSON data" },
        { "42", "invalid JSON data" },
        { "null", "invalid JSON data" },
        { new string('[', 200) + new string(']', 200), "invalid JSON data" },
        { "{\"a\":1,\"a\":2}", "invalid JSON data" },
    };

    [Theory]
    [MemberData(nameof(InvalidPayloads))]
    public void Invalid_payloads_are_400(string json, string detail)
    {
        Rejection.Assert(() => Run(json), 400, detail);
    }

    [Fact]
    public void Invalid_utf8_is_400()
    {
        byte[] json = [.. "{\"message\":\""u8, 0xFF, .. "\"}"u8];
        Rejection.Assert(() => Normalizer.Normalize(json, new NormalizationContext(Now)), 400, "invalid JSON data");
    }

    [Fact]
    public void Very_deep_nesting_does_not_overflow_the_stack()
    {
        // A deep array is not an object: refused at its first token, without reading the rest.
        var json = new string('[', 100_000) + new string(']', 100_000);
        Rejection.Assert(() => Run(json), 400, "invalid JSON data", "object");

        // Inside an event it is cut to the value depth, the event kept.
        var ev = Run("{\"extra\":{\"deep\":" + new string('[', 100_000) + new string(']', 100_000) + "}}");
        Assert.NotNull(ev["extra"]);
    }
}

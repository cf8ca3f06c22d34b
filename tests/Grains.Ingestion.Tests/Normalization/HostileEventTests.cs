using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Ingestion.Normalization;

namespace Grains.Ingestion.Tests.Normalization;

/// <summary>
/// Inputs real applications produce that once failed after parsing (a 500 at the edge): lone
/// surrogates, deep values, timestamps at the ends of the representable range.
/// </summary>
public class HostileEventTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);
    private static readonly EventNormalizer Normalizer = new();

    private static JsonObject Run(string json, NormalizationContext? context = null) =>
        Normalizer.Normalize(Encoding.UTF8.GetBytes(json), context ?? new NormalizationContext(Now, IPAddress.Parse("203.0.113.7")));

    /// <summary>Writes the event as the stream encoding does (writer depth = <see cref="EventDepth.Max"/>) and reads every string.</summary>
    private static string Encode(JsonObject ev)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = EventDepth.Max }))
        {
            ev.WriteTo(writer);
        }

        ReadAllStrings(ev);
        var json = Encoding.UTF8.GetString(buffer.WrittenSpan);

        // What storage and the API read back with the same limit.
        Assert.NotNull(JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = EventDepth.Max }));
        return json;
    }

    private static void ReadAllStrings(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    Assert.False(HasLoneSurrogate(key), key);
                    ReadAllStrings(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    ReadAllStrings(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                Assert.False(HasLoneSurrogate(value.GetValue<string>()));
                break;
        }
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return true;
            }
        }

        return false;
    }

    public static TheoryData<string, string> SurrogatePlaces => new()
    {
        // JSON with a lone surrogate somewhere; the _meta path (dotted) where the change is noted.
        // Noted where the value was sent: the normalizer then moves "message" to logentry.formatted.
        { "{\"message\":\"cut \\ud83d\"}", "message" },
        { "{\"extra\":{\"note\":\"cut \\ud83d\"}}", "extra.note" },
        { "{\"extra\":{\"k\\udc00\":1}}", "extra.k\uFFFD" },
        { "{\"breadcrumbs\":{\"values\":[{\"message\":\"clicked \\ud83d\",\"timestamp\":1795320000}]}}", "breadcrumbs.values.0.message" },
        { "{\"breadcrumbs\":[{\"data\":{\"url\":\"/a\\ud83d\"}}]}", "breadcrumbs.0.data.url" },
        { "{\"contexts\":{\"app\":{\"name\":\"\\ud83d\"}}}", "contexts.app.name" },
        { "{\"tags\":{\"cut\":\"x\\ud83d\"}}", "tags.cut" },
        { "{\"request\":{\"data\":{\"q\":\"\\ude00\\ud83d\"}}}", "request.data.q" },
        { "{\"user\":{\"username\":\"\\ud83d\"}}", "user.username" },
        { "{\"exception\":{\"values\":[{\"type\":\"Error\",\"value\":\"\\ud83d!\"}]}}", "exception.values.0.value" },
        { "{\"unknown\\ud800\":{\"deep\":[\"\\udfff\"]}}", "unknown\uFFFD" },
    };

    [Theory]
    [MemberData(nameof(SurrogatePlaces))]
    public void Lone_surrogates_become_replacement_characters_noted_in_meta(string json, string metaPath)
    {
        var ev = Run(json);

        var encoded = Encode(ev);
        Assert.Contains("\\uFFFD", encoded, StringComparison.Ordinal);
        JsonNode? entry = ev["_meta"];
        foreach (var segment in metaPath.Split('.'))
        {
            entry = entry?[segment];
        }

        Assert.NotNull(entry);
    }

    [Fact]
    public void A_lone_surrogate_value_is_noted_with_a_substitution_remark()
    {
        var ev = Run("{\"extra\":{\"note\":\"cut \\ud83d\"}}");
        Assert.Equal("cut \uFFFD", (string?)ev["extra"]!["note"]);
        Assert.Equal("{\"rem\":[[\"!utf16\",\"s\"]]}", ev["_meta"]!["extra"]!["note"]![""]!.ToJsonString());
    }

    [Theory]
    [InlineData("plain", "plain", false)]
    [InlineData("\\n\\t\\\"\\\\\\/\\b\\f\\r", "\n\t\"\\/\b\f\r", false)]
    [InlineData("\\u00e9\\u0000", "\u00e9\0", false)]
    [InlineData("\\ud83d\\ude00", "\U0001F600", false)]
    [InlineData("\\ud83d", "\uFFFD", true)]
    [InlineData("\\ude00", "\uFFFD", true)]
    [InlineData("\\ude00\\ud83d", "\uFFFD\uFFFD", true)]
    [InlineData("a\\ud83dz", "a\uFFFDz", true)]
    [InlineData("\\ud83d\\n", "\uFFFD\n", true)]
    [InlineData("\\ud83d\\ud83d\\ude00", "\uFFFD\U0001F600", true)]
    [InlineData("é\\ud83d😀", "é\uFFFD😀", true)]
    public void String_decoding_table(string escaped, string expected, bool replaced)
    {
        Assert.Equal(expected, EventJsonReader.Decode(Encoding.UTF8.GetBytes(escaped), out var wasReplaced));
        Assert.Equal(replaced, wasReplaced);
    }

    [Fact]
    public void Truncation_does_not_split_a_surrogate_pair()
    {
        // 8189 characters are kept of a long message: the emoji straddles the cut.
        var message = new string('a', 8188) + "\U0001F600" + new string('b', 100);
        var ev = Run("{\"message\":" + JsonSerializer.Serialize(message) + "}");
        var formatted = (string)ev["logentry"]!["formatted"]!;
        Assert.False(HasLoneSurrogate(formatted));
        Assert.EndsWith("a...", formatted, StringComparison.Ordinal);
    }

    private static string Nested(int depth, string leaf = "1")
    {
        // depth containers: {"k":{"k":…leaf…}}
        var builder = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            builder.Append(i % 2 == 0 ? "{\"k\":" : "[");
        }

        builder.Append(leaf);
        for (var i = depth - 1; i >= 0; i--)
        {
            builder.Append(i % 2 == 0 ? '}' : ']');
        }

        return builder.ToString();
    }

    public static TheoryData<string, int> DeepPlaces()
    {
        var data = new TheoryData<string, int>();
        foreach (var depth in new[] { 1, 55, 56, 60, 63, 64, 65, 128, 1000, 10_000 })
        {
            data.Add("{\"extra\":{\"v\":@@}}", depth);
            data.Add("{\"unknown\":@@}", depth);
            data.Add("{\"user\":{\"data\":@@}}", depth);
            data.Add("{\"sdk\":{\"name\":\"s\",\"x\":@@}}", depth);
            data.Add("{\"exception\":{\"type\":\"E\",\"value\":\"v\",\"mechanism\":{\"type\":\"g\",\"data\":@@}}}", depth);
            data.Add("{\"breadcrumbs\":[{\"message\":\"m\",\"x\":@@}]}", depth);
            data.Add("{\"threads\":{\"id\":1,\"x\":@@}}", depth);
            data.Add("{\"contexts\":{\"c\":{\"v\":@@}}}", depth);
            data.Add("{\"request\":{\"env\":@@}}", depth);
            data.Add("{\"tags\":[[\"a\",@@]]}", depth);
            data.Add("{\"logentry\":{\"message\":\"%s\",\"params\":[@@]}}", depth);
            data.Add("{\"fingerprint\":[@@]}", depth);
            data.Add("{\"extra\":{\"v\":@@},\"contexts\":\"not an object but deep? no\",\"event_id\":@@}", depth);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DeepPlaces))]
    public void Values_of_any_depth_are_cut_to_the_event_depth_and_encode(string template, int depth)
    {
        var ev = Run(template.Replace("@@", Nested(depth), StringComparison.Ordinal));
        Encode(ev);
        if (depth > EventDepth.MaxValues)
        {
            Assert.Contains("[\"!limit\",\"x\"]", ev["_meta"]!.ToJsonString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_value_at_the_value_depth_is_kept_whole_and_one_deeper_is_cut()
    {
        // The root object is level 1, so "unknown" may hold MaxValues - 1 levels.
        var kept = Run("{\"unknown\":" + Nested(EventDepth.MaxValues - 1) + "}");
        Assert.Null(kept["_meta"]);
        Assert.Equal(EventDepth.MaxValues - 1, Levels(kept["unknown"], out var leaf));
        Assert.Equal(1, (int)leaf!);

        var cut = Run("{\"unknown\":" + Nested(EventDepth.MaxValues) + "}");
        Assert.Contains("[\"!limit\",\"x\"]", cut["_meta"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(EventDepth.MaxValues - 1, Levels(cut["unknown"], out var removed));
        Assert.Null(removed);
        Encode(cut);
    }

    private static int Levels(JsonNode? node, out JsonNode? leaf)
    {
        var levels = 0;
        while (node is JsonObject or JsonArray)
        {
            levels++;
            node = node is JsonObject obj ? obj["k"] : node.AsArray()[0];
        }

        leaf = node;
        return levels;
    }

    [Fact]
    public void Invalid_values_keep_only_small_originals_in_meta()
    {
        var small = Run("{\"contexts\":{\"c\":[1,2]}}");
        Assert.Equal("[1,2]", small["_meta"]!["contexts"]!["c"]![""]!["val"]!.ToJsonString());

        var large = Run("{\"contexts\":{\"c\":[" + string.Join(',', Enumerable.Range(0, 1000)) + "]}}");
        Assert.Null(large["_meta"]!["contexts"]!["c"]![""]!["val"]);
        Assert.NotNull(large["_meta"]!["contexts"]!["c"]![""]!["err"]);

        var deep = Run("{\"contexts\":{\"c\":[" + Nested(40) + "]}}");
        Assert.Null(deep["_meta"]!["contexts"]!["c"]![""]!["val"]);
        Encode(deep);
    }

    public static TheoryData<string, string?> TimeCases => new()
    {
        // timestamp (JSON), envelope sent_at (null = none)
        { "\"0001-01-01T00:00:00Z\"", null },
        { "\"0001-01-01T00:00:00Z\"", "9999-12-31T23:59:59Z" },
        { "\"0001-01-01T00:00:00Z\"", "0001-01-01T00:00:00Z" },
        { "\"9999-12-31T23:59:59.9999999Z\"", null },
        { "\"9999-12-31T23:59:59.9999999Z\"", "0001-01-01T00:00:00Z" },
        { "\"9999-12-31T23:59:59Z\"", "9999-12-31T23:59:59Z" },
        { "253402300799", "0001-01-01T00:00:00Z" },
        { "253402300799.999", "0001-01-01T00:00:00Z" },
        { "253402300800", null },
        { "0", "9999-12-31T23:59:59Z" },
        { "0", "0001-01-01T00:00:00Z" },
        { "-1", null },
        { "-62135596800", null },
        { "1e308", "0001-01-01T00:00:00Z" },
        { "-1e308", null },
        { "1e400", null },
        { "-1e400", "9999-12-31T23:59:59Z" },
        { "1e-320", null },
        { "-0", null },
        { "123456789012345678901234567890", null },
        { "\"NaN\"", null },
        { "\"Infinity\"", null },
        { "\"-Infinity\"", null },
        { "\"\"", null },
        { "\"not a time\"", "9999-12-31T23:59:59Z" },
        { "null", "0001-01-01T00:00:00Z" },
        { "{}", null },
        { "[1]", null },
        { "\"2026-11-22T04:00:00Z\"", "0001-01-01T00:00:00Z" },
        { "\"2026-11-22T04:00:00Z\"", "9999-12-31T23:59:59Z" },
    };

    [Theory]
    [MemberData(nameof(TimeCases))]
    public void Timestamps_and_sent_at_anywhere_in_the_range_clamp_instead_of_throwing(string timestamp, string? sentAt)
    {
        var context = new NormalizationContext(Now, SentAt: sentAt is null ? null : DateTimeOffset.Parse(sentAt, System.Globalization.CultureInfo.InvariantCulture));
        var ev = Run("{\"timestamp\":" + timestamp + ",\"start_timestamp\":" + timestamp + ",\"breadcrumbs\":[{\"timestamp\":" + timestamp + "}]}", context);

        // The event timestamp ends up within the accepted window around receipt, whatever came in.
        var seconds = (double)ev["timestamp"]!;
        var nowSeconds = Now.ToUnixTimeMilliseconds() / 1000.0;
        Assert.InRange(seconds, nowSeconds - NormalizationOptions.Default.MaxAge.TotalSeconds, nowSeconds + NormalizationOptions.Default.MaxFutureSkew.TotalSeconds);
        if (ev["start_timestamp"] is { } start)
        {
            Assert.True(double.IsFinite((double)start));
        }

        Encode(ev);
    }

    [Theory]
    [InlineData(1L, 0L, 1L)]
    [InlineData(0L, -1L, 0L)]
    [InlineData(0L, long.MinValue, 0L)]
    [InlineData(-1L, 1L, -1L)]
    [InlineData(-1L, long.MaxValue, -1L)]
    public void Adding_to_a_time_clamps_at_the_ends_of_the_range(long fromEnd, long deltaTicks, long expectedFromEnd)
    {
        // fromEnd: 1 = MinValue, -1 = MaxValue, 0 = now.
        static DateTimeOffset At(long which) => which switch
        {
            1 => DateTimeOffset.MinValue,
            -1 => DateTimeOffset.MaxValue,
            _ => Now,
        };

        var result = EventNormalizer.AddClamped(At(fromEnd), TimeSpan.FromTicks(deltaTicks));
        var expected = expectedFromEnd == 0 && deltaTicks == long.MinValue ? DateTimeOffset.MinValue : expectedFromEnd == 0 ? Now.AddTicks(deltaTicks) : At(expectedFromEnd);
        Assert.Equal(expected, result);
    }

    [Fact]
    public void Wide_bags_keep_their_order_and_lose_their_tail_with_the_count_in_meta()
    {
        var keys = Enumerable.Range(0, 20_000).Select(i => $"\"key{i}\":\"value {i}\"");
        var contexts = Enumerable.Range(0, 2_000).Select(i => i % 3 == 0 ? $"\"c{i}\":[{i}]" : $"\"c{i}\":{{\"n\":{i}}}");
        var ev = Run("{\"request\":{\"data\":{" + string.Join(',', keys) + "}},\"contexts\":{" + string.Join(',', contexts) + "}}");

        var data = ev["request"]!["data"]!.AsObject();
        Assert.InRange(data.Count, 100, 1_000);
        Assert.Equal(Enumerable.Range(0, data.Count).Select(i => $"key{i}"), data.Select(p => p.Key));
        Assert.Equal(20_000, (int)ev["_meta"]!["request"]!["data"]![""]!["len"]!);

        // Every third context was not an object: removed, the others kept in order.
        var kept = ev["contexts"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(Enumerable.Range(0, 2_000).Where(i => i % 3 != 0).Select(i => $"c{i}"), kept);
        Assert.NotNull(ev["_meta"]!["contexts"]!["c3"]![""]!["err"]);
    }

    public static TheoryData<string> ExtremeNumbers => new()
    {
        "1e308", "-1e308", "1e400", "-1e400", "-0", "1e-320", "123456789012345678901234567890", "-123456789012345678901234567890", "0.1", "9223372036854775808",
    };

    [Theory]
    [MemberData(nameof(ExtremeNumbers))]
    public void Extreme_numbers_in_every_typed_field_are_accepted(string number)
    {
        var ev = Run($"{{\"level\":{number},\"logger\":{number},\"release\":{number},\"environment\":{number},\"dist\":{number},\"tags\":{{\"n\":{number}}},\"fingerprint\":[{number}],\"user\":{{\"id\":{number}}},\"extra\":{{\"n\":{number}}},\"exception\":{{\"values\":[{{\"type\":{number},\"value\":{number},\"stacktrace\":{{\"frames\":[{{\"lineno\":{number},\"colno\":{number},\"function\":{number},\"vars\":{{\"n\":{number}}}}}]}}}}]}},\"breadcrumbs\":[{{\"level\":{number},\"message\":{number},\"timestamp\":{number}}}],\"logentry\":{{\"message\":\"%s\",\"params\":[{number}]}}}}");
        Encode(ev);
    }
}

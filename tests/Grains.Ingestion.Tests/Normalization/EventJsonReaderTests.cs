using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Ingestion.Errors;
using Grains.Ingestion.Normalization;

namespace Grains.Ingestion.Tests.Normalization;

/// <summary>
/// The reader parses all numbers of a payload in one document and fills their places at the end
/// (<see cref="DeferredNumbers"/>), and reuses shared strings for the common property names (<see cref="PropertyNames"/>):
/// the tree must be what <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/> gives, number text and all.
/// </summary>
public class EventJsonReaderTests
{
    private static JsonObject Read(string json) => EventJsonReader.ReadObject(Encoding.UTF8.GetBytes(json), new MetaRecorder());

    public static TheoryData<string> SameAsJsonNode => new()
    {
        """{"a":1}""",
        """{"a":-0,"b":1e-320,"c":123456789012345678901234567890,"d":1.50,"e":1E+3,"f":-12.5e-3}""",
        """{"lineno":12,"colno":3,"frames":[{"lineno":1,"colno":2,"in_app":true},{"lineno":null,"colno":"7"},{}]}""",
        """{"nested":[[1,[2,[3,{"x":4}]]],5],"after":6}""",
        """{"mixed":["s",1,null,true,{"n":2.25},[3]],"tail":7}""",
        """{"timestamp":1733340000.123,"exception":{"values":[{"type":"E","value":"v","stacktrace":{"frames":[{"function":"f","lineno":10}]}}]}}""",
        """{"unknown_key_\u00e9":1,"filename":"a.js","abs_path":"/a.js","module":2}""",
        """{"\u0066ilename":3,"function":4}""",
        """{"empty":[],"obj":{},"n":0}""",
        """{}""",
        """{"nested_dup_names":{"a":{"a":{"a":1}},"b":[{"a":2},{"a":[3,{"a":4}]}]},"a":5}""",
        """{"siblings":[{"x":1},{"y":2},{"z":[3]}],"after":{"x":4}}""",
    };

    // Containers larger than the reader's reused member buffers (16) and a frame list as long as real stack traces.
    public static TheoryData<string> Large => new()
    {
        "{" + string.Join(',', Enumerable.Range(0, 40).Select(i => $"\"k{i}\":{i}")) + "}",
        """{"frames":[""" + string.Join(',', Enumerable.Range(0, 100).Select(i => $$$"""{"lineno":{{{i}}},"function":"f{{{i}}}","vars":{"a":[{{{i}}},"{{{i}}}"]}}""")) + "]}",
        string.Concat(Enumerable.Repeat("""{"a":[1,""", 20)) + "2" + string.Concat(Enumerable.Repeat("]}", 20)),
    };

    [Theory]
    [MemberData(nameof(Large))]
    public void Large_and_deep_containers_are_what_JsonNode_parses(string json)
    {
        var read = Read(json);

        Assert.Equal(JsonNode.Parse(json)!.ToJsonString(), read.ToJsonString());
        AssertNumbersRead(read);
    }

    [Fact]
    public void A_read_that_failed_leaves_nothing_behind_for_the_next_read_on_the_thread()
    {
        // The reader reuses its buffers per thread: a duplicate key fails while members are buffered at several depths.
        Assert.Throws<IngestException>(() => Read("""{"a":{"b":[1,{"c":2,"c":3}],"d":4}}"""));
        Assert.Throws<IngestException>(() => Read("""{"a":[1,2,{"b":[3"""));

        const string json = """{"x":[5,{"y":6}],"z":7}""";
        Assert.Equal(JsonNode.Parse(json)!.ToJsonString(), Read(json).ToJsonString());
    }

    [Fact]
    public void A_broken_surrogate_key_that_wins_with_a_container_takes_the_first_key_s_place()
    {
        var read = Read("{\"a\uFFFD\":1,\"b\":2,\"a\\ud800\":{\"n\":[3]}}");

        Assert.Equal(["a\uFFFD", "b"], read.Select(p => p.Key));
        Assert.Equal("""{"n":[3]}""", read["a\uFFFD"]!.ToJsonString());
        Assert.Same(read, read["a\uFFFD"]!.Parent);
        AssertNumbersRead(read);
    }

    [Theory]
    [MemberData(nameof(SameAsJsonNode))]
    public void The_tree_and_its_numbers_are_what_JsonNode_parses(string json)
    {
        var read = Read(json);
        var parsed = JsonNode.Parse(json)!.AsObject();

        Assert.Equal(parsed.ToJsonString(), read.ToJsonString());
        Assert.True(JsonNode.DeepEquals(parsed, read));
        AssertNumbersRead(read);
    }

    [Fact]
    public void Numbers_read_as_any_numeric_type_that_holds_them_and_keep_their_text()
    {
        var read = Read("""{"i":42,"d":1.5,"big":18446744073709551616,"neg0":-0}""");

        Assert.Equal(42, read["i"]!.GetValue<int>());
        Assert.Equal(42L, read["i"]!.GetValue<long>());
        Assert.Equal(42.0, read["i"]!.GetValue<double>());
        Assert.Equal(1.5, read["d"]!.GetValue<double>());
        Assert.False(read["big"]!.AsValue().TryGetValue<long>(out _));
        Assert.Equal("18446744073709551616", read["big"]!.ToJsonString());
        Assert.Equal("-0", read["neg0"]!.ToJsonString());
        Assert.Same(read, read["i"]!.Parent);
    }

    [Fact]
    public void A_number_under_a_key_a_later_broken_surrogate_key_replaces_is_not_put_back()
    {
        // "a\uFFFD" sent as is, then "a\ud800" (a lone surrogate, read as "a\uFFFD"): the last one wins.
        var read = Read("{\"a\uFFFD\":1,\"a\\ud800\":\"x\"}");

        Assert.Single(read);
        Assert.Equal("x", read["a\uFFFD"]!.GetValue<string>());
    }

    [Fact]
    public void A_number_under_a_broken_surrogate_key_that_wins_is_filled()
    {
        var read = Read("{\"a\uFFFD\":\"x\",\"a\\ud800\":2.5,\"b\":3}");

        Assert.Equal(2.5, read["a\uFFFD"]!.GetValue<double>());
        Assert.Equal(3, read["b"]!.GetValue<int>());
    }

    [Fact]
    public void Shared_property_names_are_the_same_string_in_every_event()
    {
        var first = Read("""{"filename":"a","exception":{"values":[]}}""");
        var second = Read("""{"filename":"b","exception":{"values":[]}}""");

        Assert.Same(first.First().Key, second.First().Key);
        Assert.Equal(["filename", "exception"], second.Select(p => p.Key));
    }

    public static TheoryData<string> Malformed => new()
    {
        """{"a":1,"a":2}""",
        """{"a":01}""",
        """{"a":1.}""",
        """{"a":-}""",
        """{"a":1e}""",
        """{"a":[1,2,]}""",
        """{"a":NaN}""",
        """[1,2]""",
        """{"a":1""",
        """{"a":{"b":[{"c":1,"c":2}]}}""",
        """{"a":[1,{"b":2}""",
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_numbers_and_duplicate_keys_are_a_400(string json)
    {
        var error = Assert.Throws<IngestException>(() => Read(json));
        Assert.Equal(400, error.StatusCode);
    }

    private static void AssertNumbersRead(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, value) in obj)
                {
                    Assert.Same(obj, value?.Parent ?? obj);
                    AssertNumbersRead(value);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    AssertNumbersRead(item);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                Assert.True(value.TryGetValue<double>(out _));
                break;
        }
    }
}

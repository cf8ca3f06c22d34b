using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Grains.Server.Tests.Api;

namespace Grains.Server.Tests.Ingest;

/// <summary>
/// Seeded property test of the ingest edge: realistic SDK events with random nodes replaced by nulls,
/// extreme numbers, odd strings (control characters, lone surrogates, very long, non-BMP), deep
/// values and wrong types, and random keys broken, sent to a real in-process server through both
/// <c>/store/</c> and <c>/envelope/</c>. No answer may be a 5xx.
/// </summary>
/// <remarks>
/// Seeds <see cref="FirstSeed"/>…<see cref="FirstSeed"/> + <see cref="Cases"/> − 1 (150 cases, each
/// sent to both endpoints: 300 requests). A failure names its seed; replay it by narrowing the range.
/// </remarks>
public sealed partial class EdgeFuzzTests(IngestServer server) : IClassFixture<IngestServer>
{
    private const int FirstSeed = 1;
    private const int Cases = 150;

    // Markers the generators put into JsonNode strings (which cannot hold what they stand for);
    // swapped in the serialized JSON for a lone surrogate escape or a raw number token.
    private const char HighSurrogate = '\u0002';
    private const char LowSurrogate = '\u0003';
    private const string RawNumber = "\u0001raw:";

    // Raw tokens: numbers no JsonValue writes as such.
    private static readonly string[] RawNumbers =
        ["1e308", "-1e308", "-0", "1e-320", "123456789012345678901234567890", "-9223372036854775809", "18446744073709551616", "1e400", "-1e400", "0.0000001", "4.9e-324"];

    // A factory rather than the node: a node can sit in one tree only, and Gen<JsonNode?> fights nullability.
    private static readonly Gen<Func<JsonNode?>> OddValue = Gen.OneOf(
        Gen.Constant<Func<JsonNode?>>(() => null),
        Gen.Elements(RawNumbers).Select(n => (Func<JsonNode?>)(() => JsonValue.Create(RawNumber + n + "\u0001"))),
        Gen.Choose(0, 6).Select(i => (Func<JsonNode?>)(() => i switch
        {
            0 => JsonValue.Create(true),
            1 => JsonValue.Create(0),
            2 => JsonValue.Create(""),
            3 => new JsonArray(),
            4 => new JsonObject(),
            5 => new JsonArray(1, "a", null),
            _ => new JsonObject { ["values"] = 3 },
        })),
        OddString().Select(text => (Func<JsonNode?>)(() => JsonValue.Create(text))),
        Gen.Elements(1, 10, 63, 64, 65, 129, 900).SelectMany(depth => Gen.Elements(true, false).Select(arrays => (Func<JsonNode?>)(() => Deep(depth, arrays)))),
        // Deeper than a JsonNode can be written: raw text.
        Gen.Elements(2_000, 10_000).Select(depth => (Func<JsonNode?>)(() => JsonValue.Create(RawNumber + new string('[', depth) + new string(']', depth) + "\u0001"))));

    [Fact]
    public async Task Mutated_sdk_events_never_get_a_5xx()
    {
        var failures = new List<string>();
        var accepted = 0;
        for (var seed = FirstSeed; seed < FirstSeed + Cases; seed++)
        {
            var (json, sentAt) = Case(seed);
            foreach (var endpoint in new[] { "store", "envelope" })
            {
                var response = await SendAsync(endpoint, json, sentAt);
                accepted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
                if ((int)response.StatusCode >= 500)
                {
                    failures.Add($"seed {seed} {endpoint}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()} for {Shorten(json)}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));

        // Most mutations are repaired, not refused: the cases reach the pipeline, not only the 400 path.
        Assert.True(accepted > Cases, $"only {accepted} of {2 * Cases} requests were accepted");
    }

    [Fact]
    public void Cases_are_reproducible_from_their_seed()
    {
        Assert.Equal(Case(FirstSeed + 7), Case(FirstSeed + 7));
        Assert.NotEqual(Case(FirstSeed + 7).Json, Case(FirstSeed + 8).Json);
    }

    private static (string Json, string SentAt) Case(int seed)
    {
        var gen =
            from shape in Gen.Choose(0, 2)
            from edits in Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(Gen.Zip(Gen.Choose(0, int.MaxValue), Gen.Zip(OddValue, Gen.Choose(0, 3))), n))
            from sent in Gen.Elements("2026-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "not a date", "")
            select (shape, edits, sent);
        var (baseIndex, mutations, sentAtText) = Gen.Sample(gen, 30, new Rnd((ulong)seed), 1)[0];

        var ev = baseIndex switch
        {
            0 => SdkEvents.Error("TypeError", "fuzz", "fuzzed", "u1"),
            1 => SdkEvents.Message("fuzz message"),
            _ => Envelopes.ErrorEvent(Envelopes.NewEventId(), "RangeError", "fuzz", "fuzzed", "u2"),
        };
        // Fixed id and times, so the seed alone decides the case.
        ev["event_id"] = $"{seed:x32}";
        if (ev["timestamp"] is not null)
        {
            ev["timestamp"] = 1795320000.5;
        }

        foreach (var crumb in ev["breadcrumbs"]?["values"]?.AsArray() ?? [])
        {
            crumb!["timestamp"] = 1795319999.5;
        }

        foreach (var (pick, (make, action)) in mutations)
        {
            var value = make();
            var slots = Slots(ev);
            var (parent, key) = slots[pick % slots.Count];
            switch (action)
            {
                case 0 when parent is JsonObject obj:
                    // Break the key: a lone surrogate in a property name.
                    var old = obj[(string)key]?.DeepClone();
                    obj.Remove((string)key);
                    obj[(string)key + HighSurrogate] = old;
                    break;
                case 1 when parent is JsonObject obj2:
                    // Add a node next to the existing ones.
                    obj2["fuzz" + pick % 1000] = value;
                    break;
                default:
                    if (parent is JsonObject o)
                    {
                        o[(string)key] = value;
                    }
                    else
                    {
                        ((JsonArray)parent)[(int)key] = value;
                    }

                    break;
            }
        }

        var json = ev.ToJsonString()
            .Replace("\\u0002", "\\ud83d", StringComparison.Ordinal)
            .Replace("\\u0003", "\\ude00", StringComparison.Ordinal);
        json = RawNumberToken().Replace(json, m => m.Groups[1].Value);
        return (json, sentAtText);
    }

    private static Gen<string> OddString() => Gen.OneOf(
        Gen.Elements(
            "\u0000\u0007\u001f\u007f",
            "cut " + HighSurrogate,
            LowSurrogate + " start",
            $"{LowSurrogate}{HighSurrogate}",
            "😀𝄞 non-BMP",
            "\u202Eright-to-left",
            "line\r\nbreak",
            "%s %d {0} %(name)s",
            "{{auto}}",
            " ",
            "\uFFFF\uFFFE"),
        Gen.Elements(1_000, 10_000, 100_000).Select(n => new string('x', n - 1) + HighSurrogate),
        Gen.Elements(8_190, 8_191, 200).Select(n => new string('e', n - 1) + "😀"));

    private static JsonNode Deep(int depth, bool arrays)
    {
        JsonNode node = JsonValue.Create("leaf");
        for (var i = 0; i < depth; i++)
        {
            node = arrays ? new JsonArray(node) : new JsonObject { ["k"] = node };
        }

        return node;
    }

    // Every place a value can be replaced: (object, key) or (array, index), root included.
    private static List<(JsonNode Parent, object Key)> Slots(JsonNode root)
    {
        var slots = new List<(JsonNode, object)>();
        var pending = new Stack<JsonNode>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            switch (pending.Pop())
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj)
                    {
                        slots.Add((obj, key));
                        if (value is JsonObject or JsonArray && slots.Count < 500)
                        {
                            pending.Push(value);
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        slots.Add((array, i));
                        if (array[i] is JsonObject or JsonArray && slots.Count < 500)
                        {
                            pending.Push(array[i]!);
                        }
                    }

                    break;
            }
        }

        return slots;
    }

    private async Task<HttpResponseMessage> SendAsync(string endpoint, string json, string sentAt)
    {
        HttpContent content = endpoint == "store"
            ? new StringContent(json, Encoding.UTF8, "application/json")
            : new ByteArrayContent(Encoding.UTF8.GetBytes($"{{\"sent_at\":\"{sentAt}\"}}\n{{\"type\":\"event\"}}\n{json}\n"));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{server.Url}/api/{server.ProjectId}/{endpoint}/") { Content = content };
        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", server.AuthHeader());
        return await server.Http.SendAsync(request);
    }

    private static string Shorten(string json) => json.Length <= 600 ? json : json[..600] + $"… ({json.Length} chars)";

    [GeneratedRegex("\"\\\\u0001raw:([^\\\\]*)\\\\u0001\"")]
    private static partial Regex RawNumberToken();
}

using System.Text.Json.Nodes;
using Grains.Monitoring.Grouping;
using Grains.Monitoring.Grouping.Caching;
using Grains.Monitoring.Grouping.Enhancements;
using Grains.Monitoring.Grouping.Fingerprinting;
using Microsoft.Extensions.Options;

namespace Grains.Monitoring.Tests.Grouping;

/// <summary>
/// Property: grouping with <see cref="GroupingCache"/> gives exactly what grouping without it gives — the
/// whole grouping info (hashes, variants, component trees, hints) and every frame's in-app flag and
/// category — for Sentry's fixtures and for random events built from their frames, cold and warm, under
/// project rules that read in-app flags, categories, the exception and neighbouring frames, and after the
/// rules change under a cache that is already warm.
/// </summary>
public class GroupingCacheEquivalenceTests
{
    /// <summary>Project rules mixing frame-local matchers with the contextual ones the cache must not keep.</summary>
    private static readonly string[] ProjectRuleLines =
    [
        "function:* +app",
        "module:django.* -app -group",
        "path:**/node_modules/** -app",
        "family:native function:*main* ^-group",
        "app:yes function:get* category=accessor",
        "category:accessor v+group",
        "category:accessor -group",
        "[ app:no ] | function:* category=called-from-library",
        "function:*handle* | [ category:std ] -group",
        "error.type:*Error module:* max-frames=3",
        "error.value:*timeout* -group",
        "error.mechanism:onerror family:javascript -app",
        "!app:yes !family:native category=foreign",
        "stack.package:**/lib*.so -app",
        "app:no family:javascript min-frames=2",
        "category:foreign +app",
        "path:**/*.py function:[a-m]* -group",
        "family:other app:yes ^+app",
    ];

    [Fact]
    public void Fixtures_group_the_same_with_and_without_the_cache()
    {
        var cache = NewCache();
        foreach (var name in GroupingFixtures.Names)
        {
            var input = GroupingFixtures.LoadInput(name);
            var config = GroupingFixtures.ConfigFor(input);
            var expected = Outcome(input, config, cache: null);
            Assert.Equal(expected, Outcome(input, config, cache)); // cold
            Assert.Equal(expected, Outcome(input, config, cache)); // warm
        }

        Assert.True(cache.Hits > 0, "the second pass over the fixtures should hit the cache");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Random_events_group_the_same_with_and_without_the_cache_and_after_a_rules_change(int seed)
    {
        var random = new Random(seed);
        var frames = FixtureFrames();
        var events = Enumerable.Range(0, 100).Select(_ => RandomEvent(random, frames)).ToList();
        var configs = new[]
        {
            GroupingConfig.Default,
            Config(random, 4),
            Config(random, 8),
            Config(random, 12),
        };

        // One cache for every config, warm with the previous config's frames when the next one starts:
        // entries of other rule sets must never be read.
        var cache = NewCache();
        foreach (var config in configs)
        {
            var missesBefore = cache.Misses;
            foreach (var evt in events)
            {
                var expected = Outcome(evt, config, cache: null);
                Assert.Equal(expected, Outcome(evt, config, cache));
                Assert.Equal(expected, Outcome(evt, config, cache));
            }

            Assert.True(cache.Misses > missesBefore, "a new rule set must not reuse another rule set's entries");
        }

        Assert.True(cache.Hits > cache.Misses, $"{cache.Hits} hits, {cache.Misses} misses");
    }

    [Fact]
    public void A_cache_at_its_cap_still_groups_the_same_and_stays_bounded()
    {
        var random = new Random(11);
        var frames = FixtureFrames();
        var cache = new GroupingCache(new GroupingCacheOptions { MaxFrames = GroupingCacheOptions.MinMaxFrames });
        var config = Config(random, 6);
        var peak = 0;
        for (var i = 0; i < 400; i++)
        {
            var evt = RandomEvent(random, frames);
            Assert.Equal(Outcome(evt, config, cache: null), Outcome(evt, config, cache));
            peak = Math.Max(peak, cache.Count);
        }

        Assert.True(cache.Misses > GroupingCacheOptions.MinMaxFrames, "the test should overflow the cap");
        // One event may add its frames past the rotation point before the rotation: allow one event's worth.
        Assert.InRange(peak, 1, GroupingCacheOptions.MinMaxFrames + 100);
    }

    [Fact]
    public void Frames_with_huge_strings_are_grouped_the_same_but_never_stored()
    {
        var cache = NewCache();
        var config = GroupingConfig.Default;
        for (var i = 0; i < 20; i++)
        {
            var frame = new JsonObject
            {
                ["function"] = $"f{i}" + new string('x', GroupingCache.MaxKeyLength),
                ["module"] = "app.module",
                ["in_app"] = i % 2 == 0,
            };
            var evt = new JsonObject
            {
                ["platform"] = "python",
                ["exception"] = new JsonObject { ["values"] = new JsonArray(new JsonObject { ["type"] = "ValueError", ["stacktrace"] = new JsonObject { ["frames"] = new JsonArray(frame) } }) },
            };
            Assert.Equal(Outcome(evt, config, cache: null), Outcome(evt, config, cache));
        }

        Assert.Equal(0, cache.Count);
        Assert.Equal(20, cache.Misses);
    }

    [Fact]
    public void Project_rule_text_change_gives_a_new_rule_set_identity()
    {
        var a = EnhancementRuleSet.WithProjectRules("function:a -app");
        var b = EnhancementRuleSet.WithProjectRules("function:b -app");
        Assert.NotEqual(a.Identity, b.Identity);
        Assert.NotEqual(a.Identity, EnhancementRuleSet.Default.Identity);
        Assert.Same(a, EnhancementRuleSet.WithProjectRules("function:a -app")); // same text, same set: its entries stay useful
    }

    /// <summary>Options the validator refuses.</summary>
    public static TheoryData<int> BadCaps => new() { 0, -1, GroupingCacheOptions.MinMaxFrames - 1, GroupingCacheOptions.MaxMaxFrames + 1, int.MinValue };

    [Theory]
    [MemberData(nameof(BadCaps))]
    public void Validator_refuses_a_cap_out_of_range(int maxFrames)
    {
        var result = new GroupingCacheOptionsValidator().Validate(null, new GroupingCacheOptions { MaxFrames = maxFrames });
        Assert.True(result.Failed);
        Assert.Contains("Grains:Grouping:Cache:MaxFrames", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_accepts_the_defaults_and_the_bounds()
    {
        var validator = new GroupingCacheOptionsValidator();
        Assert.Equal(ValidateOptionsResult.Success, validator.Validate(null, new GroupingCacheOptions()));
        Assert.Equal(ValidateOptionsResult.Success, validator.Validate(null, new GroupingCacheOptions { MaxFrames = GroupingCacheOptions.MinMaxFrames }));
        Assert.Equal(ValidateOptionsResult.Success, validator.Validate(null, new GroupingCacheOptions { MaxFrames = GroupingCacheOptions.MaxMaxFrames }));
    }

    private static GroupingCache NewCache() => new(new GroupingCacheOptions());

    private static GroupingConfig Config(Random random, int count)
    {
        var lines = Enumerable.Range(0, count).Select(_ => ProjectRuleLines[random.Next(ProjectRuleLines.Length)]);
        // A unique comment keeps each config's text (so its rule set) distinct even when the lines repeat.
        var text = $"# config {random.Next()}\n" + string.Join('\n', lines);
        return new GroupingConfig(EnhancementRuleSet.WithProjectRules(text), FingerprintRuleSet.Default);
    }

    /// <summary>The grouping info JSON plus, per frame, the in-app flag, its original value and the category that rules left.</summary>
    private static string Outcome(JsonObject evt, GroupingConfig config, GroupingCache? cache)
    {
        var result = GroupingEngine.Compute(evt, config, cache);
        var parsed = result.TakeClassified(evt, config.Enhancements);
        Assert.NotNull(parsed);
        var frames = parsed.AllStacktraces()
            .SelectMany(s => s.Stacktrace.Frames)
            .Select(f => $"{f.Function}|{f.InApp}|{f.OrigInApp}|{f.Category}");
        return result.ToJson().ToJsonString() + "\n" + string.Join('\n', frames);
    }

    /// <summary>Every frame object of every fixture input (several hundred, all platforms of the fixtures).</summary>
    private static List<JsonObject> FixtureFrames()
    {
        var frames = new List<JsonObject>();
        foreach (var file in Directory.GetFiles(Path.Combine(GroupingFixtures.FixtureRoot, "inputs"), "*.json"))
        {
            Collect(JsonNode.Parse(File.ReadAllText(file)), frames);
        }

        Assert.True(frames.Count > 100, $"{frames.Count} fixture frames");
        return frames;
    }

    private static void Collect(JsonNode? node, List<JsonObject> frames)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    if (key == "frames" && value is JsonArray array)
                    {
                        frames.AddRange(array.OfType<JsonObject>());
                    }
                    else
                    {
                        Collect(value, frames);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, frames);
                }

                break;
        }
    }

    private static readonly string[] Platforms = ["python", "javascript", "node", "native", "cocoa", "java", "other", "csharp"];
    private static readonly string[] Types = ["ValueError", "TypeError", "ChunkLoadError", "Exception", "SIGSEGV"];
    private static readonly string[] Values = ["connection timeout", "Cannot read properties of undefined", "boom", ""];
    private static readonly string[] Mechanisms = ["onerror", "generic", "signalhandler"];

    /// <summary>A random event: one to three exceptions (sometimes a thread too) whose stacks are fixture frames in random order, some of them repeated, with random platforms and in-app flags.</summary>
    private static JsonObject RandomEvent(Random random, List<JsonObject> pool)
    {
        var exceptions = new JsonArray();
        for (var e = 0; e < 1 + random.Next(3); e++)
        {
            exceptions.Add(new JsonObject
            {
                ["type"] = Types[random.Next(Types.Length)],
                ["value"] = Values[random.Next(Values.Length)],
                ["mechanism"] = new JsonObject { ["type"] = Mechanisms[random.Next(Mechanisms.Length)], ["handled"] = random.Next(2) == 0 },
                ["stacktrace"] = new JsonObject { ["frames"] = RandomFrames(random, pool) },
            });
        }

        var evt = new JsonObject
        {
            ["platform"] = Platforms[random.Next(Platforms.Length)],
            ["exception"] = new JsonObject { ["values"] = exceptions },
        };
        if (random.Next(4) == 0)
        {
            evt["threads"] = new JsonObject
            {
                ["values"] = new JsonArray(new JsonObject { ["id"] = 1, ["crashed"] = false, ["stacktrace"] = new JsonObject { ["frames"] = RandomFrames(random, pool) } }),
            };
        }

        return evt;
    }

    private static JsonArray RandomFrames(Random random, List<JsonObject> pool)
    {
        var frames = new JsonArray();
        var count = 1 + random.Next(25);
        for (var f = 0; f < count; f++)
        {
            var frame = (JsonObject)pool[random.Next(pool.Count)].DeepClone();
            switch (random.Next(6))
            {
                case 0: frame.Remove("in_app"); break;
                case 1: frame["in_app"] = true; break;
                case 2: frame["in_app"] = false; break;
            }

            if (random.Next(5) == 0)
            {
                frame["platform"] = Platforms[random.Next(Platforms.Length)];
            }

            frames.Add(frame);
            if (random.Next(8) == 0)
            {
                frames.Add(frame.DeepClone()); // recursion
            }
        }

        return frames;
    }
}

using System.Text.Json.Nodes;
using Grains.Monitoring.Grouping;

namespace Grains.Monitoring.Tests.Grouping;

/// <summary>Same-group / different-group acceptance cases (reference §7) and fingerprint behaviour.</summary>
public class GroupingBehaviourTests
{
    private static GroupingResult Group(string json, GroupingConfig? config = null) =>
        GroupingEngine.Compute((JsonObject)JsonNode.Parse(json)!, config);

    private static string PythonError(string type, string value, string frames, string? fingerprint = null)
    {
        var fingerprintPart = fingerprint is null ? string.Empty : $"\"fingerprint\": {fingerprint},";
        return $$$"""
            {
              "platform": "python",
              {{{fingerprintPart}}}
              "exception": {"values": [{"type": "{{{type}}}", "value": "{{{value}}}", "stacktrace": {"frames": [{{{frames}}}]}}]}
            }
            """;
    }

    private const string FramesA = """{"module": "app.views", "function": "index", "lineno": 10, "in_app": true, "context_line": "x = foo()"}""";
    private const string FramesB = """{"module": "app.views", "function": "detail", "lineno": 20, "in_app": true, "context_line": "y = bar()"}""";

    [Fact]
    public void Line_numbers_are_never_hashed()
    {
        var a = Group(PythonError("ValueError", "x", FramesA));
        var b = Group(PythonError("ValueError", "x", FramesA.Replace("\"lineno\": 10", "\"lineno\": 12", StringComparison.Ordinal)));
        Assert.Equal(a.Hashes, b.Hashes);
    }

    [Fact]
    public void Value_is_ignored_when_the_stack_contributes_and_type_always_counts()
    {
        var a = Group(PythonError("ValueError", "id 123 not found", FramesA));
        var b = Group(PythonError("ValueError", "something else entirely", FramesA));
        var c = Group(PythonError("TypeError", "id 123 not found", FramesA));
        Assert.Equal(a.Hashes, b.Hashes);
        Assert.NotEqual(a.Hashes, c.Hashes);
    }

    [Fact]
    public void Without_stack_the_parameterized_value_groups()
    {
        var a = Group("""{"exception": {"type": "Error", "value": "could not connect to some-host:5432"}}""");
        var b = Group("""{"exception": {"type": "Error", "value": "could not connect to some-host:6543"}}""");
        var c = Group("""{"exception": [{"type": "KeyError", "value": "'alice'"}]}""");
        var d = Group("""{"exception": [{"type": "KeyError", "value": "'bob'"}]}""");
        Assert.Equal(a.Hashes, b.Hashes);
        Assert.NotEqual(c.Hashes, d.Hashes);
    }

    [Fact]
    public void Message_template_groups_regardless_of_parameters()
    {
        var a = Group("""{"logentry": {"message": "User %s failed", "formatted": "User a failed", "params": ["a"]}}""");
        var b = Group("""{"logentry": {"message": "User %s failed", "formatted": "User b failed", "params": ["b"]}}""");
        Assert.Equal(a.Hashes, b.Hashes);
        Assert.Equal("329b29efcf1f77067a063e34f56e7791", Group("""{"message": "Hello there world!"}""").Hashes.Single());
    }

    [Fact]
    public void Synthetic_exception_type_is_ignored()
    {
        var frames = """{"function": "crash", "package": "/app/bin", "in_app": true}""";
        var a = Group($$$"""{"platform": "native", "exception": {"values": [{"type": "Error", "mechanism": {"type": "signal", "synthetic": true}, "stacktrace": {"frames": [{{{frames}}}]}}]}}""");
        var b = Group($$$"""{"platform": "native", "exception": {"values": [{"type": "SIGSEGV", "mechanism": {"type": "signal", "synthetic": true}, "stacktrace": {"frames": [{{{frames}}}]}}]}}""");
        Assert.Equal(a.Hashes, b.Hashes);
    }

    [Fact]
    public void Recursion_depth_does_not_matter()
    {
        static string Repeated(int count) => string.Join(",", Enumerable.Repeat("""{"module": "app.rec", "function": "walk", "lineno": 3, "in_app": true}""", count));
        Assert.Equal(Group(PythonError("RecursionError", "deep", Repeated(10))).Hashes, Group(PythonError("RecursionError", "deep", Repeated(50))).Hashes);
    }

    [Fact]
    public void Node_modules_frames_only_change_the_system_hash()
    {
        var library1 = """{"abs_path": "/srv/node_modules/lib/a.js", "filename": "a.js", "function": "libA"}""";
        var library2 = """{"abs_path": "/srv/node_modules/lib/b.js", "filename": "b.js", "function": "libB"}""";
        var app = """{"abs_path": "/srv/src/app.js", "filename": "app.js", "function": "handler", "in_app": true}""";
        var a = Group($$$"""{"platform": "node", "exception": {"values": [{"type": "Error", "value": "x", "stacktrace": {"frames": [{{{library1}}}, {{{app}}}]}}]}}""");
        var b = Group($$$"""{"platform": "node", "exception": {"values": [{"type": "Error", "value": "x", "stacktrace": {"frames": [{{{library2}}}, {{{app}}}]}}]}}""");
        Assert.Equal(a["app"]!.Hash, b["app"]!.Hash);
        Assert.NotEqual(a["system"]!.Hash, b["system"]!.Hash);
    }

    [Fact]
    public void Custom_fingerprint_ignores_the_stack()
    {
        var a = Group(PythonError("ValueError", "x", FramesA, """["my-key"]"""));
        var b = Group(PythonError("KeyError", "y", FramesB, """["my-key"]"""));
        Assert.Equal(a.Hashes, b.Hashes);
        Assert.Equal("custom_client_fingerprint", a.Variants.Single(v => v.Contributes).Name);
        Assert.Equal(GroupingHash.FromValues(new[] { "my-key" }), a.Hashes.Single());
    }

    [Fact]
    public void Hybrid_fingerprint_salts_every_default_variant()
    {
        var plain = Group(PythonError("ValueError", "x", FramesA));
        var dogs = Group(PythonError("ValueError", "x", FramesA, """["{{ default }}", "dogs are great"]"""));
        var shop = Group(PythonError("ValueError", "x", FramesA, """["{{ default }}", "adopt don't shop"]"""));
        var otherDefault = Group(PythonError("ValueError", "x", FramesB, """["{{ default }}", "dogs are great"]"""));

        Assert.NotEqual(dogs.Hashes, shop.Hashes);
        Assert.NotEqual(dogs.Hashes, otherDefault.Hashes);
        Assert.NotEqual(plain.Hashes, dogs.Hashes);
        var app = dogs["app"]!;
        Assert.Equal(GroupingVariantKind.SaltedComponent, app.Kind);
        Assert.Equal(plain["app"]!.HashedValues!.Append("dogs are great"), app.HashedValues!);
    }

    [Fact]
    public void Default_marker_spelling_variants_mean_default()
    {
        var plain = Group(PythonError("ValueError", "x", FramesA));
        Assert.Equal(plain.Hashes, Group(PythonError("ValueError", "x", FramesA, """["{{default}}"]""")).Hashes);
        Assert.Equal(plain.Hashes, Group(PythonError("ValueError", "x", FramesA, """["{{  default  }}"]""")).Hashes);
    }

    [Fact]
    public void Fingerprint_variables_resolve_with_placeholders()
    {
        var result = Group(PythonError("ValueError", "order 42 failed", FramesA, """["{{ type }}", "{{ message }}", "{{ transaction }}", "{{ function }}", "{{ nope }}", "{{ tags.env }}"]"""));
        var variant = result.Variants.Single(v => v.Contributes);
        Assert.Equal(
            new[] { "ValueError", "order <int> failed", "<no-transaction>", "index", "<unrecognized-variable-nope>", "<no-value-for-tag-env>" },
            variant.Values!);
    }

    [Fact]
    public void Server_rule_wins_and_can_set_a_title()
    {
        var config = GroupingConfig.ForProject(null, """error.type:DatabaseError -> database-error title="DB: {{ error.value }}" """);
        var a = Group(PythonError("DatabaseError", "deadlock 17", FramesA, """["client"]"""), config);
        var b = Group(PythonError("DatabaseError", "other", FramesB), config);
        Assert.Equal(a.Hashes, b.Hashes);
        Assert.Equal("custom_server_fingerprint", a.Variants.Single(v => v.Contributes).Name);
        Assert.Equal("DB: deadlock <int>", a.Title);
        Assert.Equal("client", a["custom_server_fingerprint"]!.FingerprintInfo!["client_fingerprint"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Built_in_chunk_load_rule_applies_to_javascript()
    {
        var a = Group("""{"platform": "javascript", "exception": {"values": [{"type": "ChunkLoadError", "value": "Loading chunk 3 failed"}]}}""");
        Assert.Equal("built_in_fingerprint", a.Variants.Single(v => v.Contributes).Name);
        Assert.Equal(GroupingHash.FromValues(new[] { "chunkloaderror" }), a.Hashes.Single());
    }

    [Fact]
    public void Checksum_bypasses_everything()
    {
        var hex = new string('a', 32);
        Assert.Equal(hex, Group($$$"""{"checksum": "{{{hex}}}", "message": "x"}""").Hashes.Single());
        Assert.Equal(GroupingHash.FromValues(new[] { "legacy" }), Group("""{"checksum": "legacy"}""").Hashes.Single());
    }

    [Fact]
    public void Empty_event_gets_the_fallback_hash()
    {
        var result = Group("{}");
        Assert.Equal(GroupingHash.Empty, result.Hashes.Single());
        Assert.Equal("fallback", result.Variants.Single().Name);
    }

    [Fact]
    public void Crashed_thread_is_used_and_other_threads_do_not_matter()
    {
        static string Event(string otherFunction) => $$$"""
            {"platform": "java", "threads": {"values": [
              {"id": 1, "crashed": true, "stacktrace": {"frames": [{"module": "com.app.Main", "function": "run", "in_app": true}]}},
              {"id": 2, "stacktrace": {"frames": [{"module": "com.app.Worker", "function": "{{{otherFunction}}}", "in_app": true}]}}
            ]}}
            """;
        var a = Group(Event("poll"));
        var b = Group(Event("sleep"));
        Assert.Equal(a.Hashes, b.Hashes);
        Assert.Equal("threads", a["app"]!.ContributingComponentId);
    }

    [Fact]
    public void Project_stack_trace_rule_can_remove_frames_from_grouping()
    {
        var config = GroupingConfig.ForProject("stack.module:app.noise -group", null);
        var noise1 = """{"module": "app.noise", "function": "a", "in_app": true}""";
        var noise2 = """{"module": "app.noise", "function": "b", "in_app": true}""";
        var a = Group(PythonError("ValueError", "x", noise1 + "," + FramesA), config);
        var b = Group(PythonError("ValueError", "x", noise2 + "," + FramesA), config);
        Assert.Equal(a.Hashes, b.Hashes);
        var systemFrame = a["system"]!.Component!.Children[0].Children[2].Children[0];
        Assert.Equal("ignored by custom stack trace rule (module:app.noise -group)", systemFrame.Hint);
        var appFrame = a["app"]!.Component!.Children[0].Children[2].Children[0];
        Assert.Equal("marked in-app by the client but ignored by custom stack trace rule (module:app.noise -group)", appFrame.Hint);
    }

    [Fact]
    public void CSharp_groups_on_module_and_raw_function_only()
    {
        static string Event(int line, string file) => $$$"""
            {"platform": "csharp", "exception": {"values": [{"type": "System.InvalidOperationException", "value": "bad {{{line}}}",
              "stacktrace": {"frames": [{"module": "MyApp.Svc", "function": "Run", "raw_function": "MyApp.Svc.Run(System.Int32 x)", "lineno": {{{line}}}, "filename": "{{{file}}}", "in_app": true, "context_line": "var a = {{{line}}};"}]}}]}}
            """;
        var a = Group(Event(10, "Svc.cs"));
        var b = Group(Event(99, "Other.cs"));
        Assert.Equal(a.Hashes, b.Hashes);
        Assert.Equal(new[] { "System.InvalidOperationException", "MyApp.Svc", "MyApp.Svc.Run(System.Int32 x)" }, a["app"]!.HashedValues!);
    }
}

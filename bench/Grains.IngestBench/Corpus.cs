using System.Text;
using System.Text.Json.Nodes;

namespace Grains.IngestBench;

/// <summary>
/// Realistic envelopes: JS- and Python-shaped errors of about 5 KB drawn from a fixed set of distinct
/// stack traces, with random users, tags and releases. Deterministic for a seed.
/// </summary>
public sealed class Corpus(int distinctTraces, int seed)
{
    private static readonly string[] Words = ["user", "order", "cart", "payment", "session", "invoice", "account", "profile", "search", "report", "export", "token", "widget", "queue", "cache", "render"];
    private static readonly string[] JsErrors = ["TypeError", "ReferenceError", "RangeError", "Error", "SyntaxError"];
    private static readonly string[] PyErrors = ["ValueError", "KeyError", "TypeError", "AttributeError", "RuntimeError", "ZeroDivisionError"];
    private readonly Random _random = new(seed);
    private readonly List<JsonObject> _traces = BuildTraces(distinctTraces, seed);

    /// <summary>
    /// Builds one envelope body; <paramref name="uniqueIssue"/> gives it a message of its own (a new issue);
    /// <paramref name="fingerprint"/> sets the SDK's fingerprint, so every event carrying the same one
    /// groups into one issue whatever its stack trace.
    /// </summary>
    public byte[] NextEnvelope(string? uniqueIssue = null, string? fingerprint = null)
    {
        var evt = NextEvent(uniqueIssue, fingerprint);
        var eventId = evt["event_id"]!.GetValue<string>();
        var header = $"{{\"event_id\":\"{eventId}\",\"sent_at\":\"{DateTimeOffset.UtcNow:O}\",\"sdk\":{{\"name\":\"sentry.javascript.node\",\"version\":\"11.12.0\"}}}}\n{{\"type\":\"event\"}}\n";
        return Encoding.UTF8.GetBytes(header + evt.ToJsonString() + "\n");
    }

    /// <summary>The event of <see cref="NextEnvelope"/> on its own (the grouping bench feeds it to the engine).</summary>
    public JsonObject NextEvent(string? uniqueIssue = null, string? fingerprint = null)
    {
        var trace = _traces[_random.Next(_traces.Count)];
        var evt = (JsonObject)trace.DeepClone();
        var eventId = Guid.NewGuid().ToString("N");
        evt["event_id"] = eventId;
        evt["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
        evt["release"] = $"app@1.{_random.Next(10)}.0";
        evt["environment"] = _random.Next(4) == 0 ? "staging" : "production";
        evt["user"] = new JsonObject { ["id"] = $"user-{_random.Next(10_000)}", ["email"] = $"u{_random.Next(10_000)}@example.com", ["ip_address"] = $"10.0.{_random.Next(256)}.{_random.Next(256)}" };
        evt["tags"] = new JsonObject { ["customer"] = $"c{_random.Next(50)}", ["region"] = _random.Next(2) == 0 ? "eu" : "us", ["feature"] = Words[_random.Next(Words.Length)] };
        if (uniqueIssue is not null)
        {
            var values = (JsonArray)evt["exception"]!["values"]!;
            values[^1]!["type"] = "UniqueError" + uniqueIssue;
        }

        if (fingerprint is not null)
        {
            evt["fingerprint"] = new JsonArray(fingerprint);
        }

        return evt;
    }

    private static List<JsonObject> BuildTraces(int count, int seed)
    {
        var random = new Random(seed ^ 0x5eed);
        var traces = new List<JsonObject>(count);
        for (var i = 0; i < count; i++)
        {
            traces.Add(i % 2 == 0 ? JsTrace(random, i) : PythonTrace(random, i));
        }

        return traces;
    }

    private static JsonObject JsTrace(Random random, int index)
    {
        var frames = new JsonArray();
        var depth = 10 + random.Next(10);
        for (var f = 0; f < depth; f++)
        {
            var inApp = f >= depth - 4;
            var module = inApp ? $"src/{Word(random)}/{Word(random)}{index % 97}" : $"node_modules/{Word(random)}-lib/dist/index";
            frames.Add(new JsonObject
            {
                ["filename"] = $"/srv/app/{module}.js",
                ["abs_path"] = $"/srv/app/{module}.js",
                ["module"] = module.Replace('/', '.'),
                ["function"] = $"{Word(random)}{(inApp ? index : f)}",
                ["lineno"] = random.Next(1, 400),
                ["colno"] = random.Next(1, 80),
                ["in_app"] = inApp,
                ["context_line"] = $"    const {Word(random)} = await {Word(random)}.{Word(random)}({Word(random)}Id);",
                ["pre_context"] = new JsonArray("  try {", $"    {Word(random)}.validate();"),
                ["post_context"] = new JsonArray("  } catch (e) {", "    throw e;"),
            });
        }

        return new JsonObject
        {
            ["platform"] = "node",
            ["level"] = "error",
            ["server_name"] = $"web-{random.Next(8)}",
            ["exception"] = new JsonObject
            {
                ["values"] = new JsonArray(new JsonObject
                {
                    ["type"] = JsErrors[random.Next(JsErrors.Length)],
                    ["value"] = $"Cannot read properties of undefined (reading '{Word(random)}') in {index}",
                    ["mechanism"] = new JsonObject { ["type"] = "onuncaughtexception", ["handled"] = false },
                    ["stacktrace"] = new JsonObject { ["frames"] = frames },
                }),
            },
            ["contexts"] = new JsonObject
            {
                ["runtime"] = new JsonObject { ["name"] = "node", ["version"] = "v20.20.2" },
                ["os"] = new JsonObject { ["name"] = "Linux", ["version"] = "6.1" },
            },
            ["breadcrumbs"] = Breadcrumbs(random),
            ["sdk"] = new JsonObject { ["name"] = "sentry.javascript.node", ["version"] = "11.12.0" },
        };
    }

    private static JsonObject PythonTrace(Random random, int index)
    {
        var frames = new JsonArray();
        var depth = 8 + random.Next(10);
        for (var f = 0; f < depth; f++)
        {
            var inApp = f >= depth - 3;
            var module = inApp ? $"app.{Word(random)}.{Word(random)}{index % 89}" : $"django.core.{Word(random)}";
            frames.Add(new JsonObject
            {
                ["filename"] = module.Replace('.', '/') + ".py",
                ["abs_path"] = "/usr/src/" + module.Replace('.', '/') + ".py",
                ["module"] = module,
                ["function"] = $"{Word(random)}_{(inApp ? index : f)}",
                ["lineno"] = random.Next(1, 600),
                ["in_app"] = inApp,
                ["context_line"] = $"        result = self.{Word(random)}({Word(random)}_id=pk)",
                ["vars"] = new JsonObject { ["self"] = $"<{Word(random)} object>", ["pk"] = random.Next(10000) },
            });
        }

        return new JsonObject
        {
            ["platform"] = "python",
            ["level"] = "error",
            ["logger"] = "django.request",
            ["server_name"] = $"api-{random.Next(8)}",
            ["exception"] = new JsonObject
            {
                ["values"] = new JsonArray(new JsonObject
                {
                    ["type"] = PyErrors[random.Next(PyErrors.Length)],
                    ["value"] = $"invalid literal for int() with base 10: '{Word(random)}{index}'",
                    ["module"] = "builtins",
                    ["mechanism"] = new JsonObject { ["type"] = "django", ["handled"] = false },
                    ["stacktrace"] = new JsonObject { ["frames"] = frames },
                }),
            },
            ["request"] = new JsonObject { ["url"] = $"https://api.example.com/{Word(random)}/{index}", ["method"] = "POST" },
            ["contexts"] = new JsonObject { ["runtime"] = new JsonObject { ["name"] = "CPython", ["version"] = "3.12.1" } },
            ["breadcrumbs"] = Breadcrumbs(random),
            ["sdk"] = new JsonObject { ["name"] = "sentry.python.django", ["version"] = "2.19.0" },
        };
    }

    private static JsonObject Breadcrumbs(Random random)
    {
        var values = new JsonArray();
        for (var b = 0; b < 8; b++)
        {
            values.Add(new JsonObject
            {
                ["timestamp"] = DateTimeOffset.UtcNow.AddSeconds(-b).ToUnixTimeMilliseconds() / 1000.0,
                ["category"] = b % 2 == 0 ? "http" : "query",
                ["message"] = b % 2 == 0 ? $"GET /api/{Word(random)}/{random.Next(1000)} 200" : $"SELECT * FROM {Word(random)} WHERE id = {random.Next(1000)}",
                ["level"] = "info",
            });
        }

        return new JsonObject { ["values"] = values };
    }

    private static string Word(Random random) => Words[random.Next(Words.Length)];
}

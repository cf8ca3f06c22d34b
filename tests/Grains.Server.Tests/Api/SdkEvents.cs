using System.Text.Json.Nodes;

namespace Grains.Server.Tests.Api;

/// <summary>Events shaped as a JavaScript SDK sends them.</summary>
public static class SdkEvents
{
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>An error thrown in <paramref name="function"/> with breadcrumbs, a request, a user and tags.</summary>
    public static JsonObject Error(string type, string value, string function, string user, string release = "web@1.0.0") => new()
    {
        ["event_id"] = NewId(),
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
        ["platform"] = "javascript",
        ["level"] = "error",
        ["environment"] = "production",
        ["release"] = release,
        ["tags"] = new JsonObject { ["feature"] = "checkout" },
        ["user"] = new JsonObject { ["id"] = user, ["email"] = $"{user}@example.com" },
        ["contexts"] = new JsonObject { ["browser"] = new JsonObject { ["name"] = "Chrome", ["version"] = "126.0" } },
        ["sdk"] = new JsonObject { ["name"] = "sentry.javascript.node", ["version"] = "11.0.0" },
        ["request"] = new JsonObject
        {
            ["url"] = "https://shop.example.com/checkout",
            ["method"] = "POST",
            ["query_string"] = "step=2&coupon=x",
            ["headers"] = new JsonObject { ["Content-Type"] = "application/json; charset=utf-8" },
        },
        ["breadcrumbs"] = new JsonObject
        {
            ["values"] = new JsonArray(new JsonObject
            {
                ["timestamp"] = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds() / 1000.0,
                ["category"] = "navigation",
                ["message"] = "to /checkout",
            }),
        },
        ["exception"] = new JsonObject
        {
            ["values"] = new JsonArray(new JsonObject
            {
                ["type"] = type,
                ["value"] = value,
                ["mechanism"] = new JsonObject { ["type"] = "onunhandledrejection", ["handled"] = false },
                ["stacktrace"] = new JsonObject
                {
                    ["frames"] = new JsonArray(
                        new JsonObject
                        {
                            ["function"] = "processTicksAndRejections",
                            ["filename"] = "node:internal/process/task_queues",
                            ["in_app"] = false,
                            ["lineno"] = 95,
                        },
                        new JsonObject
                        {
                            ["function"] = function,
                            ["filename"] = "/app/src/checkout.js",
                            ["abs_path"] = "/app/src/checkout.js",
                            ["module"] = "checkout",
                            ["lineno"] = 10,
                            ["colno"] = 5,
                            ["pre_context"] = new JsonArray("function pay() {"),
                            ["context_line"] = $"  {function}();",
                            ["post_context"] = new JsonArray("}"),
                            ["in_app"] = true,
                        }),
                },
            }),
        },
    };

    public static JsonObject Message(string message) => new()
    {
        ["event_id"] = NewId(),
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
        ["platform"] = "javascript",
        ["level"] = "info",
        ["logentry"] = new JsonObject { ["message"] = message },
    };
}

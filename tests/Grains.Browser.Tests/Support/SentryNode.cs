using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Grains.Browser.Tests.Support;

/// <summary>
/// Sends an event with the real @sentry/node SDK (sentry/send.mjs in a node process), as an
/// application would: the DSN is all it knows.
/// </summary>
internal static class SentryNode
{
    /// <summary>
    /// An error thrown from the sender's own functions (in-app frames with context lines), with tags,
    /// breadcrumbs and a fingerprint that makes it an issue of its own; answers the event id.
    /// </summary>
    public static async Task<string> SendErrorAsync(string dsn, string message, string fingerprint, IReadOnlyDictionary<string, string>? tags = null, IReadOnlyList<(string Category, string Message)>? breadcrumbs = null, string level = "error")
    {
        var script = Path.Combine(Repository.SenderDirectory, "send.mjs");
        if (!Directory.Exists(Path.Combine(Repository.SenderDirectory, "node_modules", "@sentry", "node")))
        {
            throw new InvalidOperationException($"@sentry/node is not installed: run `npm ci` in {Repository.SenderDirectory} (test.sh does)");
        }

        var tagObject = new JsonObject();
        foreach (var (key, value) in tags ?? new Dictionary<string, string>())
        {
            tagObject[key] = value;
        }

        var crumbs = new JsonArray();
        foreach (var (category, text) in breadcrumbs ?? [])
        {
            crumbs.Add(new JsonObject { ["category"] = category, ["message"] = text });
        }

        var spec = new JsonObject
        {
            ["dsn"] = dsn,
            ["message"] = message,
            ["fingerprint"] = fingerprint,
            ["level"] = level,
            ["environment"] = "browser-tests",
            ["tags"] = tagObject,
            ["breadcrumbs"] = crumbs,
            ["user"] = new JsonObject { ["id"] = "user-" + fingerprint },
        };
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Repository.SenderDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(spec.ToJsonString());
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"send.mjs did not finish in 90 s: {await stderr}");
        }

        var eventId = (await stdout).Trim();
        if (process.ExitCode != 0 || eventId.Length != 32)
        {
            throw new InvalidOperationException($"send.mjs failed ({process.ExitCode}): {eventId} {await stderr}");
        }

        return eventId;
    }
}

using Grains.Server.Tests.Api;

namespace Grains.Server.Tests.Alerts;

/// <summary>Helpers for delivery tests that record their own firings.</summary>
internal static class AlertTestProjects
{
    /// <summary>
    /// Deletes the project's rules (a new project gets Sentry's default "new issue" email rule), so that
    /// only the firings a test records reach the outbox.
    /// </summary>
    public static async Task DeleteRulesAsync(ApiServer server, string org, string slug)
    {
        var rules = (await server.GetAsync($"/api/0/projects/{org}/{slug}/rules/")).AssertStatus(200).Json!.AsArray();
        foreach (var rule in rules)
        {
            (await server.DeleteAsync($"/api/0/projects/{org}/{slug}/rules/{rule!["id"]!.GetValue<string>()}/")).AssertStatus(202);
        }
    }

    /// <summary>Waits until a captured log line satisfies <paramref name="match"/> (a log line is written just after the state it reports).</summary>
    public static async Task<string> WaitForLogAsync(IReadOnlyCollection<string> lines, Func<string, bool> match, int timeoutMs = 30_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            if (lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            Assert.True(DateTime.UtcNow < deadline, "the expected log line was not written");
            await Task.Delay(20);
        }
    }
}

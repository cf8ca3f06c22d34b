using Grains.Monitoring.Storage;

namespace Grains.Server.Tests.Api;

/// <summary>
/// A server with organization <c>list-org</c>: project <c>alpha</c> with 60 unresolved issues whose
/// last seen, first seen, count and user count each order them differently, plus 5 resolved ones;
/// project <c>beta</c> with 3 issues. Written straight into the query store.
/// </summary>
public sealed class SeededIssues : IAsyncLifetime
{
    public const int Unresolved = 60;
    public const int Resolved = 5;
    public const int Beta = 3;

    public ApiServer Server { get; } = new();

    public long AlphaId { get; private set; }

    public long BetaId { get; private set; }

    /// <summary>The issue with hourly counts: 5 in the current hour, 2 three hours ago.</summary>
    public IssueRecord WithStats { get; private set; } = null!;

    /// <summary>An issue with three stored events, a minute apart (oldest first in this list).</summary>
    public IssueRecord WithEvents { get; private set; } = null!;

    public IReadOnlyList<string> EventIds { get; } = [new string('a', 32), new string('b', 32), new string('c', 32)];

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        (AlphaId, _) = await Server.CreateProjectAsync("list-org", "alpha", "python");
        (BetaId, _) = await Server.CreateProjectAsync("list-org", "beta", "python");

        var now = DateTimeOffset.UtcNow;
        var hour = now.ToUnixTimeSeconds() / 3600 * 3600;
        var start = now.AddDays(-2);
        for (var i = 1; i <= Unresolved; i++)
        {
            var issue = Seed.Issue(AlphaId, i, $"Seeded problem {i:D2}", start.AddHours(-i), start.AddMinutes(i), timesSeen: ((i * 37) % 61) + 1, userCount: (i * 17) % 61) with
            {
                Level = i % 10 == 0 ? "warning" : "error",
            };
            var hourly = i == Unresolved ? new[] { new IssueCountBucket(hour, 5), new IssueCountBucket(hour - (3 * 3600), 2) } : null;
            await Seed.SaveAsync(Server.Issues, issue, new Dictionary<string, string> { ["environment"] = i % 2 == 0 ? "production" : "staging" }, hourly);
            if (i == Unresolved)
            {
                WithStats = issue;
            }

            if (i == 1)
            {
                WithEvents = issue;
            }
        }

        for (var i = Unresolved + 1; i <= Unresolved + Resolved; i++)
        {
            var issue = Seed.Issue(AlphaId, i, $"Resolved thing {i}", start, start, 1, 0) with { Status = "resolved", Substatus = null };
            await Seed.SaveAsync(Server.Issues, issue);
        }

        for (var i = 1; i <= Beta; i++)
        {
            await Seed.SaveAsync(Server.Issues, Seed.Issue(BetaId, i, $"Beta issue {i}", start, start.AddMinutes(i), 1, 1));
        }

        for (var i = 0; i < EventIds.Count; i++)
        {
            await Seed.EventAsync(Server.Events, WithEvents, EventIds[i], start.AddMinutes(i));
        }
    }

    public Task DisposeAsync() => Server.DisposeAsync();
}

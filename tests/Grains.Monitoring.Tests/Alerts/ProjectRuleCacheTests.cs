using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Projects;

namespace Grains.Monitoring.Tests.Alerts;

public sealed class ProjectRuleCacheTests
{
    [Fact]
    public async Task A_project_is_read_once_per_lifetime_and_again_after_a_change_notice()
    {
        var store = new Store();
        var notifier = new ProjectChangeNotifier();
        var time = new Clock();
        var cache = new ProjectRuleCache(store, notifier, time);

        Assert.Empty(await cache.GetAsync(1));
        Assert.Empty(await cache.GetAsync(1));
        Assert.Equal(1, store.Reads);

        store.Rules.Add(new AlertRule { Id = 5, ProjectId = 1, Label = "r", ConditionsJson = $$"""[{"id":"{{RuleNodeIds.FirstSeen}}"}]""" });
        store.Rules.Add(new AlertRule { Id = 6, ProjectId = 1, Label = "off", Status = RuleStatus.Disabled });
        Assert.Empty(await cache.GetAsync(1));

        notifier.Notify(2);
        Assert.Empty(await cache.GetAsync(1));
        Assert.Equal(1, store.Reads);

        notifier.Notify(1);
        Assert.Equal([5L], (await cache.GetAsync(1)).Select(r => r.Id));
        Assert.Equal(2, store.Reads);

        // Other silos' changes arrive by expiry.
        store.Rules.Clear();
        time.Now += ProjectRuleCache.Lifetime - TimeSpan.FromSeconds(1);
        Assert.Single(await cache.GetAsync(1));
        time.Now += TimeSpan.FromSeconds(2);
        Assert.Empty(await cache.GetAsync(1));
        Assert.Equal(3, store.Reads);
    }

    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed class Store : IRuleStore
    {
        public List<AlertRule> Rules { get; } = [];

        public int Reads { get; private set; }

        public Task<IReadOnlyList<AlertRule>> ListAsync(long projectId, CancellationToken cancellationToken = default)
        {
            Reads++;
            return Task.FromResult<IReadOnlyList<AlertRule>>([.. Rules.Where(r => r.ProjectId == projectId)]);
        }

        public Task<AlertRule?> GetAsync(long projectId, long ruleId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AlertRule> CreateAsync(AlertRule rule, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AlertRule?> CreateDefaultAsync(AlertRule rule, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> UpdateAsync(AlertRule rule, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> DeleteAsync(long projectId, long ruleId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}

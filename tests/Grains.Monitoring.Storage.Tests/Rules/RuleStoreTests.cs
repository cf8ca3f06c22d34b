using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Postgres;
using Grains.Monitoring.Sqlite;
using Grains.Monitoring.Storage.Tests.Backends;

namespace Grains.Monitoring.Storage.Tests.Rules;

public abstract class RuleStoreTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123).AddTicks(4560);

    private IRuleStore _store = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _store = Create();
    }

    private IRuleStore Create() => Db switch
    {
        SqliteBackend sqlite => new SqliteRuleStore(sqlite.Database),
        PostgresBackend postgres => new PostgresRuleStore(postgres.Database),
        _ => throw new NotSupportedException(Db.Name),
    };

    private static AlertRule Rule(long project, string label, string? environment = null) => new()
    {
        ProjectId = project,
        Label = label,
        Environment = environment,
        ActionMatch = RuleMatch.Any,
        FilterMatch = RuleMatch.None,
        Frequency = 60,
        ConditionsJson = $$"""[{"id":"{{RuleNodeIds.FirstSeen}}"}]""",
        FiltersJson = $$"""[{"id":"{{RuleNodeIds.IssueOccurrences}}","value":"3"}]""",
        ActionsJson = $$"""[{"id":"{{RuleNodeIds.NotifyEventService}}","service":"webhooks"}]""",
        Owner = "team:7",
        DateCreated = Created,
    };

    [Fact]
    public async Task A_created_rule_reads_back_field_for_field_and_lists_newest_first_per_project()
    {
        var first = await _store.CreateAsync(Rule(1, "first", "production"));
        var second = await _store.CreateAsync(Rule(1, "second"));
        await _store.CreateAsync(Rule(2, "other project"));

        Assert.True(second.Id > first.Id);
        var read = await _store.GetAsync(1, first.Id);
        Assert.Equal(first with { DateCreated = Monitoring.Storage.Relational.StoreTime.Truncate(Created) }, read);
        Assert.Equal(["second", "first"], (await _store.ListAsync(1)).Select(r => r.Label));
        Assert.Null(await _store.GetAsync(2, first.Id));
        Assert.Null(await _store.GetAsync(1, 999_999));
    }

    [Fact]
    public async Task Update_replaces_the_data_and_delete_hides_the_rule()
    {
        var rule = await _store.CreateAsync(Rule(1, "before"));
        var changed = rule with { Label = "after", Environment = "staging", Status = RuleStatus.Disabled, Frequency = 5, ActionsJson = "[]", Owner = null };

        Assert.True(await _store.UpdateAsync(changed));
        Assert.Equal(changed with { DateCreated = Monitoring.Storage.Relational.StoreTime.Truncate(Created) }, await _store.GetAsync(1, rule.Id));
        Assert.False(await _store.UpdateAsync(changed with { ProjectId = 2 }));

        Assert.False(await _store.DeleteAsync(2, rule.Id));
        Assert.True(await _store.DeleteAsync(1, rule.Id));
        Assert.False(await _store.DeleteAsync(1, rule.Id));
        Assert.Null(await _store.GetAsync(1, rule.Id));
        Assert.Empty(await _store.ListAsync(1));
        Assert.False(await _store.UpdateAsync(changed));
    }

    [Fact]
    public async Task The_default_rule_is_created_once_per_project_even_after_it_was_deleted()
    {
        var created = await DefaultAlertRule.EnsureAsync(_store, 1);
        Assert.NotNull(created);
        Assert.Equal(RuleSource.Default, created.Source);
        Assert.Null(await DefaultAlertRule.EnsureAsync(_store, 1));
        Assert.NotNull(await DefaultAlertRule.EnsureAsync(_store, 2));

        var stored = Assert.Single(await _store.ListAsync(1));
        Assert.Equal(DefaultAlertRule.Label, stored.Label);
        Assert.Equal(RuleSource.Default, stored.Source);

        Assert.True(await _store.DeleteAsync(1, stored.Id));
        Assert.Null(await DefaultAlertRule.EnsureAsync(_store, 1));
        Assert.Empty(await _store.ListAsync(1));
    }

    [Fact]
    public async Task Concurrent_default_rule_creations_store_one()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => DefaultAlertRule.EnsureAsync(_store, 5))));

        Assert.Single(results, r => r is not null);
        Assert.Single(await _store.ListAsync(5));
    }

    [Fact]
    public async Task Rules_survive_a_reopen()
    {
        var rule = await _store.CreateAsync(Rule(3, "durable"));
        await Db.ReopenAsync();
        _store = Create();

        Assert.Equal("durable", (await _store.GetAsync(3, rule.Id))?.Label);
    }
}

public sealed class SqliteRuleStoreTests : RuleStoreTests<SqliteBackend>;

public sealed class PostgresRuleStoreTests : RuleStoreTests<PostgresBackend>;

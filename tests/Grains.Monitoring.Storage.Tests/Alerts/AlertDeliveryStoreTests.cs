using Grains.Monitoring.Alerts;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Storage.Tests.Backends;

namespace Grains.Monitoring.Storage.Tests.Alerts;

public abstract class AlertDeliveryStoreTests<TBackend> : StoreTests<TBackend>
    where TBackend : IStoreBackend, new()
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private IAlertDeliveryStore _store = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _store = Db.CreateAlertDeliveryStore();
    }

    private static AlertFiring Firing(string id, long project = 1, string label = "first seen") =>
        new(id, project, 10, 7, label, new string('e', 32), T0, """[{"id":"sentry.rules.actions.notify_event.NotifyEventAction"}]""", ["first_seen"]);

    private static AlertDelivery Delivery(AlertFiring firing, string kind, string target, DateTimeOffset due) =>
        new(AlertDeliveryIds.For(firing.Id, kind, target), firing.Id, firing.ProjectId, kind, target, AlertDeliveryStatus.Pending, 0, due, null, null, firing.FiredAt, T0, null);

    [Fact]
    public async Task Recording_is_idempotent_by_firing_id_and_keeps_the_first_record()
    {
        Assert.Equal(2, await _store.RecordAsync([Firing("a"), Firing("b")], T0));
        Assert.Equal(1, await _store.RecordAsync([Firing("a", label: "changed"), Firing("c")], T0));
        Assert.Equal(0, await _store.RecordAsync([Firing("a"), Firing("b"), Firing("c")], T0));
        Assert.Equal(0, await _store.RecordAsync([], T0));

        var a = await _store.GetFiringAsync("a");
        Assert.NotNull(a);
        Assert.Equal("first seen", a.RuleLabel);
        Assert.Equal(["first_seen"], a.Reasons);
        Assert.Equal(T0, a.FiredAt);
        Assert.Equal(Firing("a").ActionsJson, a.ActionsJson);
        Assert.Null(await _store.GetFiringAsync("zz"));
        Assert.Equal(3L, (await Db.QueryAsync("SELECT COUNT(*) FROM alert_firings"))[0][0]);
    }

    [Fact]
    public async Task A_firing_is_expanded_once_into_one_delivery_per_destination()
    {
        var firing = Firing("f1", project: 5);
        await _store.RecordAsync([firing, Firing("other", project: 6)], T0);
        Assert.Equal(["f1"], (await _store.UnexpandedAsync(5, 10)).Select(f => f.Id));
        Assert.Equal([5L, 6L], (await _store.ProjectsDueAsync(T0, 10)).Order());

        var deliveries = new[]
        {
            Delivery(firing, AlertDeliveryKinds.Webhooks, "http://a/hook", T0),
            Delivery(firing, AlertDeliveryKinds.Webhooks, "http://b/hook", T0),
            Delivery(firing, AlertDeliveryKinds.Email, "", T0.AddMinutes(5)),
        };
        await _store.ExpandAsync(firing.Id, deliveries);
        await _store.ExpandAsync(firing.Id, deliveries); // a repeated expansion adds nothing
        Assert.Empty(await _store.UnexpandedAsync(5, 10));

        var due = await _store.DueAsync(5, T0, 10);
        Assert.Equal(["http://a/hook", "http://b/hook"], due.Select(d => d.Target).Order());
        Assert.All(due, d => Assert.Equal(AlertDeliveryStatus.Pending, d.Status));
        Assert.Equal(3, (await _store.DueAsync(5, T0.AddMinutes(5), 10)).Count);
        Assert.Equal(T0, await _store.NextDueAsync(5));
        Assert.Null(await _store.NextDueAsync(6));
        Assert.Equal(3L, (await Db.QueryAsync("SELECT COUNT(*) FROM alert_deliveries"))[0][0]);
    }

    [Fact]
    public async Task Updates_move_deliveries_between_pending_delivered_and_dead_and_retry_revives_a_dead_one()
    {
        var firing = Firing("f2");
        await _store.RecordAsync([firing], T0);
        var hook = Delivery(firing, AlertDeliveryKinds.Webhooks, "http://a/hook", T0);
        var slack = Delivery(firing, AlertDeliveryKinds.Slack, "", T0);
        await _store.ExpandAsync(firing.Id, [hook, slack]);

        await _store.UpdateAsync(new AlertDeliveryUpdate(hook.Id, AlertDeliveryStatus.Pending, 1, T0.AddSeconds(2), "HTTP 500", 500, null));
        Assert.Equal([slack.Id], (await _store.DueAsync(1, T0.AddSeconds(1), 10)).Select(d => d.Id));
        var retried = await _store.GetAsync(hook.Id);
        Assert.Equal((1, "HTTP 500", (int?)500), (retried!.Attempts, retried.LastError, retried.LastStatusCode));

        await _store.UpdateAsync(new AlertDeliveryUpdate(hook.Id, AlertDeliveryStatus.Delivered, 2, T0.AddSeconds(2), null, 200, T0.AddSeconds(3)));
        await _store.UpdateAsync(new AlertDeliveryUpdate(slack.Id, AlertDeliveryStatus.Dead, 5, T0, "timed out after 3 s", null, null));
        Assert.Empty(await _store.DueAsync(1, T0.AddDays(1), 10));
        Assert.Null(await _store.NextDueAsync(1));
        Assert.Empty(await _store.ProjectsDueAsync(T0.AddDays(1), 10));

        var dead = Assert.Single(await _store.ListAsync(1, AlertDeliveryStatus.Dead, 10));
        Assert.Equal((slack.Id, 5, "timed out after 3 s"), (dead.Id, dead.Attempts, dead.LastError));
        var delivered = Assert.Single(await _store.ListAsync(1, AlertDeliveryStatus.Delivered, 10));
        Assert.Equal(T0.AddSeconds(3), delivered.DeliveredAt);
        Assert.Equal(2, (await _store.ListAsync(1, null, 10)).Count);
        Assert.Empty(await _store.ListAsync(2, null, 10));

        Assert.False(await _store.RetryAsync(1, hook.Id, T0)); // delivered: not retried
        Assert.False(await _store.RetryAsync(2, slack.Id, T0)); // another project's
        Assert.True(await _store.RetryAsync(1, slack.Id, T0.AddHours(1)));
        var revived = Assert.Single(await _store.DueAsync(1, T0.AddHours(1), 10));
        Assert.Equal((slack.Id, 0, AlertDeliveryStatus.Pending, (string?)null), (revived.Id, revived.Attempts, revived.Status, revived.LastError));
    }

    [Fact]
    public async Task Pruning_deletes_old_delivered_rows_and_their_firings_but_keeps_pending_and_dead_ones()
    {
        var old = Firing("old");
        var dead = Firing("dead");
        await _store.RecordAsync([old, dead], T0);
        var oldDelivery = Delivery(old, AlertDeliveryKinds.Webhooks, "http://a/hook", T0);
        var deadDelivery = Delivery(dead, AlertDeliveryKinds.Webhooks, "http://a/hook", T0);
        await _store.ExpandAsync(old.Id, [oldDelivery]);
        await _store.ExpandAsync(dead.Id, [deadDelivery]);
        await _store.UpdateAsync(new AlertDeliveryUpdate(oldDelivery.Id, AlertDeliveryStatus.Delivered, 1, T0, null, 200, T0));
        await _store.UpdateAsync(new AlertDeliveryUpdate(deadDelivery.Id, AlertDeliveryStatus.Dead, 5, T0, "HTTP 500", 500, null));

        Assert.Equal(2, await _store.PruneAsync(T0.AddDays(1)));
        Assert.Null(await _store.GetFiringAsync("old"));
        Assert.NotNull(await _store.GetFiringAsync("dead"));
        Assert.NotNull(await _store.GetAsync(deadDelivery.Id));
    }

    [Fact]
    public void Delivery_ids_are_32_hex_and_differ_by_destination()
    {
        var a = AlertDeliveryIds.For("f", AlertDeliveryKinds.Webhooks, "http://a/");
        Assert.Matches("^[0-9a-f]{32}$", a);
        Assert.Equal(a, AlertDeliveryIds.For("f", AlertDeliveryKinds.Webhooks, "http://a/"));
        Assert.NotEqual(a, AlertDeliveryIds.For("f", AlertDeliveryKinds.Webhooks, "http://b/"));
        Assert.NotEqual(a, AlertDeliveryIds.For("g", AlertDeliveryKinds.Webhooks, "http://a/"));
        Assert.Equal(AlertDeliveryIds.MessageId(["x", "y"], "d"), AlertDeliveryIds.MessageId(["y", "x"], "d"));
        Assert.Equal("x@d", AlertDeliveryIds.MessageId(["x"], "d"));
    }
}

public sealed class SqliteAlertDeliveryStoreTests : AlertDeliveryStoreTests<SqliteBackend>;

public sealed class PostgresAlertDeliveryStoreTests : AlertDeliveryStoreTests<PostgresBackend>;

using Grains.Monitoring.Outcomes;
using Grains.Monitoring.SpikeProtection;
using Microsoft.Extensions.DependencyInjection;
using static Grains.Server.Tests.Items.ItemEnvelopes;

namespace Grains.Server.Tests.Outcomes;

/// <summary>The admission enforces spike protection's threshold at the edge, and the drops are counted as smart_rate_limit.</summary>
public sealed class SpikeProtectionEdgeTests : IAsyncLifetime
{
    // A floor of 1 so that a small week (1 error an hour) gives a small threshold: 3 an hour.
    private readonly OutcomeServer _server = new(postgres: false, new Dictionary<string, string?> { ["Grains:SpikeProtection:MinimumThreshold"] = "1" });

    public Task InitializeAsync() => _server.InitializeAsync();

    public Task DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Errors_over_the_hourly_threshold_are_dropped_as_smart_rate_limit()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600;
        var week = Enumerable.Range(1, 168).Select(age => new OutcomeRow(_server.OrganizationId, _server.ProjectId, _server.PublicKey, now - (age * 3600L), "error", OutcomeKind.Accepted, null, 1, 1)).ToArray();
        Assert.True(await _server.Services.GetRequiredService<IOutcomeStore>().WriteAsync(new OutcomeBatch(Guid.NewGuid(), week)));
        await _server.Services.GetRequiredService<SpikeThresholds>().RefreshAsync();

        var statuses = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            var eventId = NewEventId();
            statuses.Add(await _server.PostEnvelopeAsync(Envelope(Header(eventId), Json("event", ErrorEvent(eventId, "SpikeError", "n" + i)))));
        }

        Assert.Contains(429, statuses);
        var rows = (await _server.RowsAsync(fromHour: now)).Where(r => r.Category == "error").ToList();
        var accepted = rows.Single(r => r.Outcome == "accepted").Quantity;
        var dropped = rows.Single(r => r.Outcome == "rate_limited" && r.Reason == SpikeThresholds.Reason).Quantity;
        Assert.Equal(12, accepted + dropped);
        Assert.InRange(accepted, 3, 4); // the threshold, and at most one more: Relay answers the first over-quota envelope 200
    }
}

using Grains.Ingestion.Body;
using Grains.Ingestion.Tests.Support;

namespace Grains.Ingestion.Tests.Body;

public class InflationBudgetTests
{
    [Fact]
    public async Task A_reservation_that_fits_is_granted_at_once()
    {
        var budget = new InflationBudget(100, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await budget.ReserveAsync(60, CancellationToken.None);
        await budget.ReserveAsync(40, CancellationToken.None);
        Assert.Equal(100, budget.InFlight);
    }

    [Fact]
    public async Task A_lone_reservation_larger_than_the_budget_is_granted()
    {
        var budget = new InflationBudget(100, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await budget.ReserveAsync(1000, CancellationToken.None);
        Assert.Equal(1000, budget.InFlight);
    }

    [Fact]
    public async Task Without_room_and_without_wait_the_request_is_refused_with_503()
    {
        var budget = new InflationBudget(100, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
        budget.Reserve(90);

        var error = await Rejection.AssertAsync(() => budget.ReserveAsync(20, CancellationToken.None).AsTask(), 503, InflationBudget.OverloadDetail);

        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.Equal((90, 1), (budget.InFlight, budget.Rejections));
    }

    [Fact]
    public async Task A_waiting_reservation_is_granted_when_room_is_released()
    {
        var budget = new InflationBudget(100, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1));
        budget.Reserve(90);

        var waiting = budget.ReserveAsync(20, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        budget.Release(90, large: true);
        await waiting;

        Assert.Equal((20, 90, 0), (budget.InFlight, budget.LargeBytesReleased, budget.Rejections));
    }

    [Fact]
    public async Task A_waiting_reservation_ends_with_the_request()
    {
        var budget = new InflationBudget(100, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1));
        budget.Reserve(90);
        using var aborted = new CancellationTokenSource();

        var waiting = budget.ReserveAsync(20, aborted.Token).AsTask();
        await aborted.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(90, budget.InFlight);
    }
}

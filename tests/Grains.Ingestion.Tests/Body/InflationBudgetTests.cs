using Grains.Ingestion.Body;
using Grains.Ingestion.Tests.Support;

namespace Grains.Ingestion.Tests.Body;

public class InflationBudgetTests
{
    private readonly object _first = new(), _second = new(), _third = new();

    [Fact]
    public async Task A_reservation_that_fits_is_granted_at_once()
    {
        var budget = new InflationBudget(100, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await budget.ReserveAsync(60, _first, CancellationToken.None);
        await budget.ReserveAsync(40, _second, CancellationToken.None);
        Assert.Equal(100, budget.InFlight);
    }

    [Fact]
    public async Task A_lone_reservation_larger_than_the_budget_is_granted()
    {
        var budget = new InflationBudget(100, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        await budget.ReserveAsync(1000, _first, CancellationToken.None);
        Assert.Equal(1000, budget.InFlight);
    }

    [Fact]
    public async Task On_a_full_budget_one_body_grows_past_it_and_the_next_is_refused_with_503_until_the_first_finishes()
    {
        var budget = new InflationBudget(100, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
        budget.Reserve(90);

        await budget.ReserveAsync(20, _first, CancellationToken.None);
        await budget.ReserveAsync(50, _first, CancellationToken.None);
        var error = await Rejection.AssertAsync(() => budget.ReserveAsync(20, _second, CancellationToken.None).AsTask(), 503, InflationBudget.OverloadDetail);

        Assert.Equal(TimeSpan.FromSeconds(1), error.RetryAfter);
        Assert.Equal((160, 1), (budget.InFlight, budget.Rejections));

        budget.Release(70, large: false);
        budget.Finish(_first);
        await budget.ReserveAsync(20, _second, CancellationToken.None);
        Assert.Equal(110, budget.InFlight);
    }

    [Fact]
    public async Task A_waiting_reservation_is_granted_when_room_is_released()
    {
        var budget = new InflationBudget(100, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1));
        budget.Reserve(90);
        await budget.ReserveAsync(20, _first, CancellationToken.None);

        var waiting = budget.ReserveAsync(20, _second, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        budget.Release(90, large: true);
        await waiting;

        Assert.Equal((40, 90, 0), (budget.InFlight, budget.LargeBytesReleased, budget.Rejections));
    }

    [Fact]
    public async Task A_waiting_reservation_is_granted_when_the_body_past_the_budget_finishes()
    {
        var budget = new InflationBudget(100, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1));
        await budget.ReserveAsync(100, _first, CancellationToken.None);
        await budget.ReserveAsync(100, _second, CancellationToken.None);

        var waiting = budget.ReserveAsync(20, _third, CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        budget.Release(100, large: true);
        budget.Finish(_second);
        await waiting;

        Assert.Equal(120, budget.InFlight);
    }

    [Fact]
    public async Task A_waiting_reservation_ends_with_the_request()
    {
        var budget = new InflationBudget(100, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(1));
        budget.Reserve(90);
        await budget.ReserveAsync(20, _first, CancellationToken.None);
        using var aborted = new CancellationTokenSource();

        var waiting = budget.ReserveAsync(20, _second, aborted.Token).AsTask();
        await aborted.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        Assert.Equal(110, budget.InFlight);
    }
}

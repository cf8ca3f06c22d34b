using Grains.Monitoring.RateLimits;

namespace Grains.Monitoring.Tests.RateLimits;

public sealed class FixedWindowCounterTests
{
    private const long Now = 1_700_000_000; // org 0, window 60: the window is [1_699_999_980, 1_700_000_040)

    [Fact]
    public void Grants_never_take_the_count_past_the_limit()
    {
        var counter = new FixedWindowCounter();
        var request = new LeaseRequest(Limit: 10, WindowSeconds: 60, OrganizationId: 0, Wanted: 4);
        Assert.Equal(4, counter.Acquire(request, Now).Granted);
        Assert.Equal(4, counter.Acquire(request, Now + 1).Granted);
        var last = counter.Acquire(request, Now + 2);
        Assert.Equal(2, last.Granted);
        Assert.Equal(10, last.Used);
        Assert.Equal(1_700_000_040, last.WindowEnd);
        Assert.Equal(0, counter.Acquire(request, Now + 39).Granted);
        Assert.Equal(10, counter.Used);
    }

    [Fact]
    public void A_new_window_starts_from_zero()
    {
        var counter = new FixedWindowCounter();
        var request = new LeaseRequest(5, 60, 0, 5);
        Assert.Equal(5, counter.Acquire(request, Now).Granted);
        Assert.Equal(0, counter.Acquire(request, Now + 39).Granted);
        var next = counter.Acquire(request, Now + 40);
        Assert.Equal(5, next.Granted);
        Assert.Equal(1_700_000_100, next.WindowEnd);
    }

    [Fact]
    public void The_organizations_shift_moves_the_reset()
    {
        var counter = new FixedWindowCounter();
        var request = new LeaseRequest(1, 60, 42, 1); // organization 42: windows end 42 s after the unshifted ones
        var first = counter.Acquire(request, 1_700_000_001);
        Assert.Equal(1_700_000_022, first.WindowEnd);
        Assert.Equal(0, counter.Acquire(request, 1_700_000_021).Granted);
        Assert.Equal(1, counter.Acquire(request, 1_700_000_022).Granted);
    }

    [Fact]
    public void A_lowered_limit_grants_nothing_and_never_a_negative_amount()
    {
        var counter = new FixedWindowCounter();
        Assert.Equal(8, counter.Acquire(new LeaseRequest(10, 60, 0, 8), Now).Granted);
        var lowered = counter.Acquire(new LeaseRequest(5, 60, 0, 3), Now);
        Assert.Equal(0, lowered.Granted);
        Assert.Equal(8, lowered.Used);
    }
}

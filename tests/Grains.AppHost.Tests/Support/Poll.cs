namespace Grains.AppHost.Tests.Support;

/// <summary>Polls a condition with a deadline (no fixed sleeps in the tests).</summary>
internal static class Poll
{
    /// <summary>Calls <paramref name="attempt"/> until it returns a value; a <see cref="TimeoutException"/> names <paramref name="what"/> after <paramref name="timeout"/>.</summary>
    public static async Task<T> UntilAsync<T>(string what, TimeSpan timeout, Func<Task<T?>> attempt, TimeSpan? interval = null) where T : class
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await attempt() is { } value)
                {
                    return value;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
            {
                last = exception; // not listening yet, or a transient error: try again until the deadline
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds:0} s{(last is null ? "" : $" (last error: {last.Message})")}.");
            }

            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(200));
        }
    }
}

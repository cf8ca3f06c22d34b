using System.Diagnostics;

namespace Grains.Postgres.Tests;

/// <summary>Waits for a condition with a deadline instead of sleeping a fixed time.</summary>
internal static class Poll
{
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, string what)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        Exception? last = null;
        while (clock.Elapsed < deadline)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception exception)
            {
                last = exception;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Not within {deadline.TotalSeconds:0.#} s: {what}.", last);
    }
}

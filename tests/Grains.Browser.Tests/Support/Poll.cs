namespace Grains.Browser.Tests.Support;

/// <summary>Conditions with deadlines (never sleeps that hope the machine was fast enough).</summary>
internal static class Poll
{
    /// <summary>Calls <paramref name="probe"/> until it returns a value, or fails with <paramref name="what"/> after <paramref name="deadline"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan deadline, string what)
        where T : class
    {
        var until = DateTime.UtcNow + deadline;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or IOException or TaskCanceledException or InvalidOperationException)
            {
                last = exception;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"timed out after {deadline.TotalSeconds:0} s waiting for {what}" + (last is null ? "" : $" (last error: {last.Message})"));
            }

            await Task.Delay(200);
        }
    }
}

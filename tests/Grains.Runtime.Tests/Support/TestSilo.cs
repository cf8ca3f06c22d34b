using Grains.Runtime.Configuration;
using Grains.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Runtime.Tests.Support;

/// <summary>Starts silos for tests: the test grains registered, memory storage unless told otherwise.</summary>
public static class TestSilo
{
    public static Task<SiloHost> StartAsync(Action<GrainsOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        SiloHost.StartAsync(
            builder => builder.AddGrainAssembly(typeof(TestSilo).Assembly).Configure(options => configure?.Invoke(options)),
            services ?? (s => s.AddGrainsMemoryStorage()));

    public static string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for: {what}");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>Waits until the async <paramref name="condition"/> holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for: {what}");
            }

            await Task.Delay(20);
        }
    }

    public static string TempDatabase() => Path.Combine(Path.GetTempPath(), "grains-tests", Guid.NewGuid().ToString("N"), "grains.db");
}

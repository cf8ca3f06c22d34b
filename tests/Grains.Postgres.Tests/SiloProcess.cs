using System.Diagnostics;
using Grains.Postgres.TestSilo.TestGrains;

namespace Grains.Postgres.Tests;

/// <summary>
/// A silo in a child process (Grains.Postgres.TestSilo), so a test can kill it with SIGKILL: no
/// graceful leave, no membership update, sockets dropped by the kernel — what <c>kill -9</c> does.
/// </summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process _process;

    private SiloProcess(Process process, SiloAddress address, Guid activation)
    {
        _process = process;
        Address = address;
        Activation = activation;
    }

    public SiloAddress Address { get; }

    /// <summary>The activation of the probe grain the child created on itself.</summary>
    public Guid Activation { get; }

    /// <summary>Starts the child and waits until its silo is active and hosts <paramref name="grainKey"/>.</summary>
    public static async Task<SiloProcess> StartAsync(string connectionString, string serviceId, string grainKey, TimeSpan deadline)
    {
        // The test's own runtime config and dependency list cover the child: its assembly and every
        // package it needs are in this output directory.
        var directory = AppContext.BaseDirectory;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     "exec",
                     "--runtimeconfig", Path.Combine(directory, "Grains.Postgres.Tests.runtimeconfig.json"),
                     "--depsfile", Path.Combine(directory, "Grains.Postgres.Tests.deps.json"),
                     Path.Combine(directory, "Grains.Postgres.TestSilo.dll"),
                     connectionString, serviceId, grainKey,
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo process.");
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var timeout = new CancellationTokenSource(deadline);
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                var parts = line.Split(' ');
                if (parts is ["ready", var address, var activation])
                {
                    return new SiloProcess(process, SiloAddress.FromParsableString(address), Guid.Parse(activation));
                }
            }

            throw new InvalidOperationException($"The silo process ended before it was ready: {await errors}");
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}

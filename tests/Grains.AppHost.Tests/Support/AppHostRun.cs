using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Grains.AppHost.Tests.Support;

/// <summary>
/// The AppHost as a person runs it: <c>dotnet AppHost.dll ARGS</c> from its own build output, in a
/// scratch working directory; every output line is kept and can be waited for. Every process it starts
/// (DCP, the silos, PostgreSQL) inherits the environment variable <see cref="MarkerVariable"/>, so
/// <see cref="ProcessTable.WithEnvironment"/> finds whatever outlives it.
/// </summary>
internal sealed class AppHostRun : IAsyncDisposable
{
    public const string MarkerVariable = "GRAINS_APPHOST_TEST_RUN";

    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();
    private readonly Task _output;
    private readonly Task _error;

    public AppHostRun(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(AppHostAssembly());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment[MarkerVariable] = Marker;
        // The dashboard picks its own free ports (LocalDashboard), not the ones of the test process.
        foreach (var name in new[] { "ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL" })
        {
            start.Environment.Remove(name);
        }

        _process = Process.Start(start)!;
        _output = PumpAsync(_process.StandardOutput);
        _error = PumpAsync(_process.StandardError);
    }

    /// <summary>The value of <see cref="MarkerVariable"/> in every process of this run.</summary>
    public string Marker { get; } = Guid.NewGuid().ToString("N");

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return string.Join('\n', _lines);
            }
        }
    }

    /// <summary>Waits for a line matching <paramref name="pattern"/>; fails with the output so far.</summary>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan timeout)
    {
        var regex = new Regex(pattern);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            lock (_gate)
            {
                foreach (var line in _lines)
                {
                    var match = regex.Match(line);
                    if (match.Success)
                    {
                        return match;
                    }
                }
            }

            if (DateTime.UtcNow >= deadline || (_process.HasExited && _output.IsCompleted && _error.IsCompleted))
            {
                break;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"No line matched /{pattern}/ within {timeout.TotalSeconds:0} s (exited: {_process.HasExited}). Output:\n{Output}");
    }

    /// <summary>Waits for the exit; returns the exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_output, _error).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"The AppHost did not exit within {timeout.TotalSeconds:0} s. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Waits until no process of this run is left (DCP may reap its children a moment after the AppHost exits); fails naming them.</summary>
    public async Task AssertNothingLeftAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        IReadOnlyList<int> left;
        while ((left = ProcessTable.WithEnvironment(MarkerVariable, Marker)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.True(left.Count == 0, $"Left running {timeout.TotalSeconds:0} s after the AppHost exited: {string.Join("; ", left.Select(ProcessTable.Describe))}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            ProcessTable.Signal(_process.Id, ProcessTable.SigInt);
            try
            {
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        foreach (var pid in ProcessTable.WithEnvironment(MarkerVariable, Marker))
        {
            ProcessTable.Signal(pid, ProcessTable.SigKill);
        }

        _process.Dispose();
    }

    /// <summary>The repository's root (the directory of Grains.sln above the test's output).</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Grains.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Grains.sln not found above " + AppContext.BaseDirectory);
    }

    private static string AppHostAssembly()
    {
        // tests/Grains.AppHost.Tests/bin/<configuration>/<framework>/ -> AppHost/bin/<configuration>/<framework>/AppHost.dll
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!;
        var path = Path.Combine(RepositoryRoot(), "AppHost", "bin", configuration.Name, framework.Name, "AppHost.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing: build the solution first.");
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_gate)
            {
                _lines.Add(line);
            }
        }
    }
}

using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Grains.AppHost.Tests.Support;

/// <summary>
/// The AppHost as a person runs it: <c>dotnet AppHost.dll ARGS</c> from its own build output, in a
/// scratch working directory; every output line is kept and can be waited for.
/// </summary>
internal sealed partial class LauncherRun : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Lock _gate = new();
    private readonly Task _output;
    private readonly Task _error;

    public LauncherRun(string workingDirectory, params string[] arguments)
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
        _process = Process.Start(start)!;
        _output = PumpAsync(_process.StandardOutput);
        _error = PumpAsync(_process.StandardError);
    }

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

    /// <summary>The silos' process ids from the launcher's summary.</summary>
    public IReadOnlyList<int> SiloPids() =>
        SummaryPid().Matches(Output).Select(m => int.Parse(m.Groups[1].Value)).ToList();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            ProcessTable.Signal(_process.Id, ProcessTable.SigTerm);
            try
            {
                await _process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private static string AppHostAssembly()
    {
        // tests/Grains.AppHost.Tests/bin/<configuration>/<framework>/ -> AppHost/bin/<configuration>/<framework>/AppHost.dll
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!;
        var path = Path.Combine(PostgresServerProcessTests.RepositoryRoot(), "AppHost", "bin", configuration.Name, framework.Name, "AppHost.dll");
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

    [GeneratedRegex(@"^  silo\d+\s+http://\S+\s+silo port \d+, pid (\d+)", RegexOptions.Multiline)]
    private static partial Regex SummaryPid();
}

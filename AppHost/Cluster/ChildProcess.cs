using System.Diagnostics;

namespace Grains.AppHost.Cluster;

/// <summary>
/// A process the launcher started: its output goes line by line to a <see cref="ChildProcessLog"/>,
/// its standard input is closed, and on Linux it runs in a session of its own (through
/// <c>setsid</c>), so the Ctrl+C that the terminal sends to its foreground process group reaches
/// only the launcher, which then stops the children in order (silos drain before PostgreSQL stops).
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private static readonly string? Setsid = FindSetsid();

    private readonly Process _process;
    private readonly Task<int> _exited;

    private ChildProcess(Process process, ChildProcessLog log)
    {
        _process = process;
        Log = log;
        Pid = process.Id;
        var output = log.PumpAsync(process.StandardOutput, isError: false);
        var error = log.PumpAsync(process.StandardError, isError: true);
        _exited = WaitAsync(process, output, error);
    }

    /// <summary>The child's process id.</summary>
    public int Pid { get; }

    /// <summary>Where its output goes.</summary>
    public ChildProcessLog Log { get; }

    /// <summary>The child's name.</summary>
    public string Name => Log.Name;

    /// <summary>Completes with the exit code when the process exited and its output was read to the end.</summary>
    public Task<int> Exited => _exited;

    /// <summary>Whether the process exited.</summary>
    public bool HasExited => _exited.IsCompleted;

    /// <summary>Starts <paramref name="fileName"/>; <paramref name="environment"/> sets (value) or removes (null) variables of the inherited environment.</summary>
    public static ChildProcess Start(
        string fileName,
        IEnumerable<string> arguments,
        ChildProcessLog log,
        IEnumerable<KeyValuePair<string, string?>>? environment = null,
        string? workingDirectory = null)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (Setsid is not null)
        {
            start.FileName = Setsid;
            start.ArgumentList.Add(fileName);
        }
        else
        {
            start.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{log.Name}: {fileName} did not start.");
        process.StandardInput.Close();
        return new ChildProcess(process, log);
    }

    /// <summary>
    /// Runs a short command to its end (killed after <paramref name="timeout"/>), its output on
    /// <paramref name="log"/>; returns the exit code.
    /// </summary>
    public static async Task<int> RunAsync(string fileName, IEnumerable<string> arguments, ChildProcessLog log, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var list = arguments.ToList();
        using var child = Start(fileName, list, log);
        try
        {
            return await child.Exited.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            child.Kill();
            throw new ClusterStartException($"{Path.GetFileName(fileName)} {string.Join(' ', list)} did not finish in {timeout.TotalSeconds:0} s.");
        }
        catch (OperationCanceledException)
        {
            child.Kill();
            throw;
        }
    }

    /// <summary>Asks the process to stop: SIGTERM (a graceful shutdown for a silo); on Windows, kills it.</summary>
    public void Terminate()
    {
        if (HasExited)
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Kill();
            return;
        }

        Native.Terminate(Pid);
    }

    /// <summary>Kills the process and its descendants at once.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (Exception exception) when (exception is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    /// <summary>
    /// SIGTERM, then waits up to <paramref name="grace"/> for the exit; kills it after that. True when
    /// it exited by itself within the grace period.
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan grace, CancellationToken hurry = default)
    {
        if (HasExited)
        {
            return true;
        }

        Terminate();
        try
        {
            await _exited.WaitAsync(grace, hurry).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            Kill();
            try
            {
                await _exited.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Unkillable (uninterruptible I/O): nothing more to do from here.
            }

            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _process.Dispose();

    private static async Task<int> WaitAsync(Process process, Task output, Task error)
    {
        await process.WaitForExitAsync().ConfigureAwait(false);
        // A descendant that outlived the process (e.g. the server under runuser) can keep the pipes
        // open: the output is read to its end only for a moment after the exit.
        await Task.WhenAny(Task.WhenAll(output, error), Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        return process.ExitCode;
    }

    private static string? FindSetsid()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        return new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);
    }
}

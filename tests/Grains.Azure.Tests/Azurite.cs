using System.Diagnostics;
using System.Text;

namespace Grains.Azure.Tests;

/// <summary>
/// Azurite's table service (npm package <c>azurite</c>, installed in tests/azurite by <c>npm ci</c>;
/// test.sh does it) on a free loopback port, in memory, for the tests of one class. When it cannot be
/// started the tests fail with the reason: a skipped Azure suite would pass CI without testing anything.
/// </summary>
public sealed class Azurite : IAsyncLifetime
{
    // Azurite's fixed development account (public, documented by Azure for the emulator).
    private const string Account = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>The connection string of the emulator's account (tables only).</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var bin = FindAzuriteTable();
        Exception? last = null;

        // A free port can be taken between probing and Azurite's bind: try a few.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var port = AzureServer.FreePort();
            try
            {
                await StartAsync(bin, port);
                ConnectionString = $"DefaultEndpointsProtocol=http;AccountName={Account};AccountKey={AccountKey};TableEndpoint=http://127.0.0.1:{port}/{Account};";
                return;
            }
            catch (InvalidOperationException exception)
            {
                last = exception;
                Stop();
            }
        }

        throw new InvalidOperationException("Azurite could not be started; the Azure storage tests need it (install with `npm ci` in tests/azurite).", last);
    }

    public Task DisposeAsync()
    {
        Stop();
        return Task.CompletedTask;
    }

    private async Task StartAsync(string bin, int port)
    {
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[bin, "--tableHost", "127.0.0.1", "--tablePort", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--inMemoryPersistence", "--disableTelemetry", "--skipApiVersionCheck", "--silent"])
        {
            start.ArgumentList.Add(argument);
        }

        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("node is not installed (Azurite runs on Node.js).", exception);
        }

        _process = process;
        process.OutputDataReceived += (_, line) => Observe(line.Data, started);
        process.ErrorDataReceived += (_, line) => Observe(line.Data, started);
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => started.TrySetException(new InvalidOperationException($"Azurite exited with {process.ExitCode}: {Output()}"));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await started.Task.WaitAsync(StartTimeout);
        }
        catch (TimeoutException exception)
        {
            throw new InvalidOperationException($"Azurite did not report its start within {StartTimeout.TotalSeconds} s: {Output()}", exception);
        }
    }

    private void Observe(string? line, TaskCompletionSource started)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("successfully", StringComparison.OrdinalIgnoreCase))
        {
            started.TrySetResult();
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    private void Stop()
    {
        if (_process is { } process)
        {
            _process = null;
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }
    }

    private static string FindAzuriteTable()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var package = Path.Combine(directory.FullName, "tests", "azurite");
            if (File.Exists(Path.Combine(package, "package.json")))
            {
                var bin = Path.Combine(package, "node_modules", "azurite", "dist", "src", "table", "main.js");
                return File.Exists(bin)
                    ? bin
                    : throw new InvalidOperationException($"Azurite is not installed in {package}: run `npm ci` there (test.sh does).");
            }
        }

        throw new InvalidOperationException($"tests/azurite/package.json not found above {AppContext.BaseDirectory}.");
    }
}

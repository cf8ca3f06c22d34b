using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using MimeKit;

namespace Grains.Server.Tests.Alerts;

/// <summary>
/// A real SMTP server on a free loopback port: <c>tests/smtp/server.js</c> (npm package <c>smtp-server</c>,
/// installed in tests/smtp by <c>npm ci</c>; test.sh does it), started for one test class and stopped
/// with it. Each received message is parsed with MimeKit. When it cannot start, the tests fail saying why.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private Process? _process;

    public int Port { get; private set; }

    public ConcurrentQueue<(string From, IReadOnlyList<string> To, MimeMessage Message)> Messages { get; } = new();

    public static async Task<SmtpTestServer> StartAsync()
    {
        var folder = FindFolder();
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "smtp-server")))
        {
            throw new InvalidOperationException($"The SMTP test server is not installed: run `npm ci` in {folder} (test.sh does it).");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = folder,
        };
        start.ArgumentList.Add(Path.Combine(folder, "server.js"));
        start.ArgumentList.Add("0");
        var server = new SmtpTestServer();
        try
        {
            server._process = Process.Start(start) ?? throw new InvalidOperationException("node did not start.");
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException("node is not installed (the SMTP test server runs on Node.js).", exception);
        }

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        server._process.OutputDataReceived += (_, e) =>
        {
            if (string.IsNullOrEmpty(e.Data))
            {
                return;
            }

            using var line = JsonDocument.Parse(e.Data);
            if (line.RootElement.TryGetProperty("listening", out var port))
            {
                listening.TrySetResult(port.GetInt32());
                return;
            }

            var raw = Convert.FromBase64String(line.RootElement.GetProperty("raw").GetString()!);
            using var stream = new MemoryStream(raw);
            server.Messages.Enqueue((
                line.RootElement.GetProperty("from").GetString() ?? "",
                [.. line.RootElement.GetProperty("to").EnumerateArray().Select(t => t.GetString()!)],
                MimeMessage.Load(stream)));
        };
        var errors = new System.Text.StringBuilder();
        server._process.ErrorDataReceived += (_, e) => errors.AppendLine(e.Data);
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var first = await Task.WhenAny(listening.Task, Task.Delay(TimeSpan.FromSeconds(20)));
        if (first != listening.Task)
        {
            await server.DisposeAsync();
            throw new InvalidOperationException($"The SMTP test server did not start within 20 s: {errors}");
        }

        server.Port = await listening.Task;
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private static string FindFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "tests", "smtp");
            if (File.Exists(Path.Combine(candidate, "server.js")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/smtp/server.js was not found above " + AppContext.BaseDirectory);
    }
}

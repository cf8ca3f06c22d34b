using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Grains.AppHost.Tests.Support;

namespace Grains.AppHost.Tests;

/// <summary>
/// The Aspire AppHost as a person runs it, a child process: the console summary (each silo's own URL,
/// the DSN, the admin token, the dashboard's login URL), a taken port skipped, a silo that cannot start
/// named, and Ctrl+C (SIGINT) stopping every process it started (DCP, silos, PostgreSQL).
/// </summary>
[Collection(WholeAppsCollection.Name)]
public sealed class AppHostProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan ReapTimeout = TimeSpan.FromSeconds(30);
    private readonly string _directory = Directory.CreateTempSubdirectory("grains-apphost-").FullName;

    public Task InitializeAsync()
    {
        // Created 0700; PostgreSQL runs as another user (when the tests run as root) and must reach DATA/pg.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);
        }

        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private static IReadOnlyList<string> SiloUrls(string output) =>
        Regex.Matches(output, @"^  silo\d+\s+(http://127\.0\.0\.1:\d+)/$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();

    [Fact]
    public async Task Embedded_default_skips_a_taken_port_prints_where_Grains_is_and_Ctrl_C_stops_every_process()
    {
        var port = FreePorts.Pick(FreePorts.Ephemeral(), 2);
        using var occupant = new TcpListener(IPAddress.Loopback, port[0]);
        occupant.Start();
        await using var run = new AppHostRun(_directory, "--data", "d", "--port", port[0].ToString());

        await run.WaitForLineAsync(@"^Ctrl\+C stops every process", StartTimeout);
        await run.WaitForLineAsync($@"^port {port[0]} is taken: the silos use {port[1]}\.$", TimeSpan.Zero);
        await run.WaitForLineAsync(@"^Grains is running: one silo on SQLite, data under .*/d$", TimeSpan.Zero);
        Assert.Equal([$"http://127.0.0.1:{port[1]}"], SiloUrls(run.Output));
        var dsn = (await run.WaitForLineAsync($@"^  DSN:\s+(http://[0-9a-f]{{32}}@127\.0\.0\.1:{port[1]}/1)$", TimeSpan.Zero)).Groups[1].Value;
        var token = (await run.WaitForLineAsync(@"^  Admin token: (grains_[0-9a-f]{64})   \(kept in .*/d/admin-token\)$", TimeSpan.Zero)).Groups[1].Value;
        Assert.Single(run.Output.Split('\n'), line => line.Contains(token, StringComparison.Ordinal)); // on the console once, never in a log line
        await run.WaitForLineAsync($@"^  Dashboard:   http://127\.0\.0\.1:{port[1]}/$", TimeSpan.Zero);
        var password = (await run.WaitForLineAsync(@"^  Sign-in:     owner@localhost / ([A-Za-z0-9]{20})   \(kept in .*/d/owner-password\)$", TimeSpan.Zero)).Groups[1].Value;
        Assert.Single(run.Output.Split('\n'), line => line.Contains(password, StringComparison.Ordinal)); // on the console once, never in a log line
        var login = (await run.WaitForLineAsync(@"^  Aspire dashboard: (http://127\.0\.0\.1:\d+/login\?t=[0-9a-f]+)$", TimeSpan.Zero)).Groups[1].Value;
        Assert.True(File.Exists(Path.Combine(_directory, "d", "grains.db")));

        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"http://127.0.0.1:{port[1]}/health")).StatusCode);
        using (var keys = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port[1]}/api/0/projects/default/default/keys/"))
        {
            keys.Headers.Authorization = new("Bearer", token);
            var body = await (await http.SendAsync(keys)).Content.ReadAsStringAsync();
            Assert.Contains(dsn, body, StringComparison.Ordinal);
        }

        // The login URL signs in to the dashboard (a redirect that sets its cookie).
        using (var dashboard = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        {
            var response = await dashboard.GetAsync(login);
            Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.OK, $"dashboard login answered {response.StatusCode}");
        }

        ProcessTable.Signal(run.Pid, ProcessTable.SigInt);
        Assert.Equal(0, await run.WaitForExitAsync(StopTimeout));
        await run.AssertNothingLeftAsync(ReapTimeout);
        Assert.DoesNotContain("!!!", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_postgres_cluster_lists_each_silo_with_its_own_url_and_Ctrl_C_stops_silos_and_postgres()
    {
        var port = FreePorts.Pick(FreePorts.Ephemeral(), 2);
        await using var run = new AppHostRun(_directory, "--silos", "2", "--postgres", "--data", "d", "--port", port[0].ToString());

        await run.WaitForLineAsync(@"^Ctrl\+C stops every process", StartTimeout);
        await run.WaitForLineAsync(@"^Grains is running: 2 silo\(s\) in one Orleans cluster on PostgreSQL", TimeSpan.Zero);
        Assert.True(File.Exists(Path.Combine(_directory, "d", "pg", "data", "PG_VERSION")));
        var urls = SiloUrls(run.Output);
        Assert.Equal([$"http://127.0.0.1:{port[0]}", $"http://127.0.0.1:{port[1]}"], urls);
        var token = (await run.WaitForLineAsync(@"^  Admin token: (grains_[0-9a-f]{64})   \(kept in .*/d/silo1/admin-token\)$", TimeSpan.Zero)).Groups[1].Value;
        using var http = new HttpClient();
        foreach (var url in urls)
        {
            // Each URL is that silo's own process; both accept the token the first silo seeded (one database).
            using var request = new HttpRequestMessage(HttpMethod.Get, url + "/api/0/projects/default/default/keys/");
            request.Headers.Authorization = new("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
        }

        Assert.NotEmpty(ProcessTable.Using(Path.Combine(_directory, "d", "pg")));
        ProcessTable.Signal(run.Pid, ProcessTable.SigInt);
        Assert.Equal(0, await run.WaitForExitAsync(StopTimeout));
        await run.AssertNothingLeftAsync(ReapTimeout);
        Assert.Empty(ProcessTable.Using(Path.Combine(_directory, "d", "pg")));
        Assert.DoesNotContain("!!!", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_that_cannot_start_is_named_and_Ctrl_C_still_stops_everything()
    {
        // Arguments after -- go to every silo: a data directory no one can create makes the silo fail.
        var port = FreePorts.Pick(FreePorts.Ephemeral(), 1);
        await using var run = new AppHostRun(_directory, "--data", "d", "--port", port[0].ToString(), "--", "--Grains:DataDirectory=/dev/null/nowhere");

        await run.WaitForLineAsync(@"^!!! silo1 stopped \((Exited|FailedToStart|Finished)( with code -?\d+)?\); its log is in the dashboard", StartTimeout);
        Assert.DoesNotContain("Grains is running", run.Output, StringComparison.Ordinal);

        ProcessTable.Signal(run.Pid, ProcessTable.SigInt);
        Assert.Equal(0, await run.WaitForExitAsync(StopTimeout));
        await run.AssertNothingLeftAsync(ReapTimeout);
    }

    [Theory]
    [InlineData("--silos 3", "--silos 3 needs --postgres: SQLite is single-silo")]
    [InlineData("--silos 2 --postgres --bogus", "Unknown option '--bogus'")]
    [InlineData("--port 0", "--port must be between 1 and 65535 (got 0)")]
    public async Task A_malformed_command_line_is_refused_before_anything_starts(string commandLine, string message)
    {
        await using var run = new AppHostRun(_directory, commandLine.Split(' '));
        Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("AppHost: " + message, run.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
        await run.AssertNothingLeftAsync(TimeSpan.Zero);
    }
}

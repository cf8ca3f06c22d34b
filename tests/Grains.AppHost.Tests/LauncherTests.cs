using System.Net;
using Grains.AppHost.Cluster;
using Grains.AppHost.Tests.Support;

namespace Grains.AppHost.Tests;

/// <summary>
/// The launcher end to end, as a child process: silo processes of the AppHost with prefixed output,
/// waiting for health, the summary, Ctrl+C (SIGINT) stopping everything with no process left over,
/// and a silo that cannot start named in a clear error.
/// </summary>
public sealed class LauncherTests : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(240);
    private readonly string _directory = Directory.CreateTempSubdirectory("grains-launcher-").FullName;

    public LauncherTests()
    {
        // Created 0700; PostgreSQL runs as another user (when the tests run as root) and must reach DATA/pg.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_directory, (UnixFileMode)0b111_101_101);
        }
    }

    public void Dispose()
    {
        foreach (var pid in ProcessTable.Using(_directory))
        {
            System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
        }

        Directory.Delete(_directory, recursive: true);
    }

    private static string[] Ports(int count)
    {
        var publicPorts = FreePorts.Pick(FreePorts.Ephemeral(), count);
        var internalPorts = FreePorts.Pick(publicPorts[^1] + 1, count);
        return ["--port", publicPorts[0].ToString(), "--internal-port", internalPorts[0].ToString()];
    }

    [Fact]
    public async Task Sqlite_silos_start_with_prefixed_output_get_healthy_and_Ctrl_C_stops_every_process()
    {
        await using var run = new LauncherRun(_directory, ["--silos", "2", "--test-sqlite-silos", "--data", "d", .. Ports(2)]);

        await run.WaitForLineAsync("^Ctrl\\+C stops the silos", StartTimeout);
        var output = run.Output;
        Assert.Contains("[silo1] ", output, StringComparison.Ordinal);
        Assert.Contains("[silo2] ", output, StringComparison.Ordinal);
        var token = (await run.WaitForLineAsync(@"^  Admin token: (grains_[0-9a-f]{64})", TimeSpan.Zero)).Groups[1].Value;
        Assert.Single(run.Output.Split('\n'), line => line.Contains(token, StringComparison.Ordinal)); // printed once
        await run.WaitForLineAsync(@"^  DSN:\s+http://[0-9a-f]+@127\.0\.0\.1:\d+/1$", TimeSpan.Zero);
        Assert.True(Directory.Exists(Path.Combine(_directory, "d", "silo1")));
        Assert.True(Directory.Exists(Path.Combine(_directory, "d", "silo2")));

        var urls = System.Text.RegularExpressions.Regex.Matches(run.Output, @"^  silo\d\s+(http://127\.0\.0\.1:\d+)/", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, urls.Distinct().Count());
        using var http = new HttpClient();
        foreach (var url in urls)
        {
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(url + "/health")).StatusCode);
        }

        var silos = run.SiloPids();
        Assert.Equal(2, silos.Count);
        Assert.All(silos, pid => Assert.True(ProcessTable.IsAlive(pid)));

        ProcessTable.Signal(run.Pid, ProcessTable.SigInt);
        Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(90)));

        Assert.All(silos, pid => Assert.False(ProcessTable.IsAlive(pid), $"silo pid {pid} outlived the launcher"));
        Assert.Empty(ProcessTable.Using(_directory));
        Assert.Contains("silo1 stopped (exit code 0)", run.Output, StringComparison.Ordinal);
        Assert.Contains("silo2 stopped (exit code 0)", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("exited unexpectedly", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_postgres_cluster_starts_every_silo_accepts_the_admin_token_and_Ctrl_C_stops_silos_then_postgres()
    {
        await using var run = new LauncherRun(_directory, ["--silos", "2", "--postgres", "--data", "d", .. Ports(2)]);

        await run.WaitForLineAsync("^Ctrl\\+C stops the silos .* and then PostgreSQL", StartTimeout);
        Assert.Contains("[pg] ", run.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_directory, "d", "pg", "data", "PG_VERSION")));
        await run.WaitForLineAsync(@"^  PostgreSQL:  Host=127\.0\.0\.1;Port=\d+;Username=grains;Database=grains$", TimeSpan.Zero);
        var token = (await run.WaitForLineAsync(@"^  Admin token: (grains_[0-9a-f]{64})", TimeSpan.Zero)).Groups[1].Value;
        Assert.Single(run.Output.Split('\n'), line => line.Contains(token, StringComparison.Ordinal));

        var urls = System.Text.RegularExpressions.Regex.Matches(run.Output, @"^  silo\d\s+(http://127\.0\.0\.1:\d+)/", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(2, urls.Count);
        using var http = new HttpClient();
        foreach (var url in urls)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url + "/api/0/projects/default/default/keys/");
            request.Headers.Authorization = new("Bearer", token);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var silos = run.SiloPids();
        ProcessTable.Signal(run.Pid, ProcessTable.SigInt);
        Assert.Equal(0, await run.WaitForExitAsync(TimeSpan.FromSeconds(150)));

        Assert.All(silos, pid => Assert.False(ProcessTable.IsAlive(pid), $"silo pid {pid} outlived the launcher"));
        Assert.Empty(ProcessTable.Using(_directory));
        var output = run.Output;
        Assert.True(output.IndexOf("silo2 stopped (exit code 0)", StringComparison.Ordinal) < output.IndexOf("PostgreSQL stopped", StringComparison.Ordinal));
        Assert.Contains("silo1 stopped (exit code 0)", output, StringComparison.Ordinal);
        Assert.DoesNotContain("exited unexpectedly", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_that_cannot_start_is_named_and_nothing_is_left_running()
    {
        // Arguments after -- go to every silo: a data directory no one can create makes both fail.
        await using var run = new LauncherRun(_directory, ["--silos", "2", "--test-sqlite-silos", "--data", "d", .. Ports(2), "--", "--Grains:DataDirectory=/dev/null/nowhere"]);

        Assert.Equal(1, await run.WaitForExitAsync(StartTimeout));
        Assert.Matches(@"!!! silo\d \(http://127\.0\.0\.1:\d+\) exited with code \d+ before it became healthy", run.Output);
        Assert.Empty(ProcessTable.Using(_directory));
    }

    [Fact]
    public async Task Silos_without_postgres_is_refused_before_anything_starts()
    {
        await using var run = new LauncherRun(_directory, "--silos", "3");
        Assert.Equal(2, await run.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("--silos 3 needs --postgres: SQLite is single-silo", run.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_directory));
    }
}

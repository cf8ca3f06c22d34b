using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Grains.AppHost;

/// <summary>
/// Once every silo answers <c>/health</c>, prints where Grains is on the console: each silo's own URL
/// (one line per silo), the DSN, the admin token (read from the seeding silo's token file: printed on
/// the console only, never through a logger), the web dashboard and its owner's sign-in (read from the
/// seeding silo's owner-password file, likewise console only) and the Aspire dashboard's login URL. A silo that stops before it
/// is healthy, or later, is named loudly; the others keep running.
/// </summary>
public sealed class StartupSummary(
    GrainsAppModel model,
    AppHostCommandLine commandLine,
    ResourceNotificationService notifications,
    IConfiguration configuration,
    TextWriter console) : BackgroundService
{
    private static readonly HashSet<string> Stopped = new(StringComparer.OrdinalIgnoreCase)
    {
        KnownResourceStates.Exited, KnownResourceStates.FailedToStart, KnownResourceStates.Finished,
    };

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watch = WatchStopsAsync(stoppingToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(commandLine.HealthTimeout);
        var healthy = model.Silos.ToDictionary(s => s.Name, s => notifications.WaitForResourceHealthyAsync(s.Name, deadline.Token));
        try
        {
            await Task.WhenAll(healthy.Values);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            var late = healthy.Where(h => !h.Value.IsCompletedSuccessfully).Select(h => h.Key);
            Alarm($"{string.Join(", ", late)} did not answer /health within {commandLine.HealthTimeout.TotalSeconds:0} s: see its logs in the dashboard.");
            await watch;
            return;
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var token = ReadAdminToken();
        var dsn = token is null ? null : await FindDsnAsync(token, stoppingToken);
        Print(token, dsn);
        await watch;
    }

    private void Print(string? token, string? dsn)
    {
        var first = model.Silos[0].Url;
        var lines = new List<string>
        {
            "",
            model.Postgres
                ? $"Grains is running: {model.Silos.Count} silo(s) in one Orleans cluster on PostgreSQL, data under {model.DataRoot}"
                : $"Grains is running: one silo on SQLite, data under {model.DataRoot}",
        };
        lines.AddRange(model.Silos.Select(s => $"  {s.Name,-12} {s.Url}/"));
        lines.Add(dsn is not null
            ? $"  DSN:         {dsn}"
            : $"  DSN:         (GET {first}/api/0/projects/default/default/keys/ with the admin token)");
        lines.Add(token is not null
            ? $"  Admin token: {token}   (kept in {model.AdminTokenFile})"
            : $"  Admin token: {model.AdminTokenFile} is gone (only the token's hash is stored; set Grains__AdminToken to add one)");
        lines.Add($"  API:         curl -H 'Authorization: Bearer <token>' {first}/api/0/projects/default/default/issues/");
        lines.Add($"  Dashboard:   {first}/");
        lines.Add(ReadOwner() is { } owner
            ? $"  Sign-in:     {owner.Email} / {owner.Password}   (kept in {model.OwnerPasswordFile})"
            : $"  Sign-in:     {model.OwnerPasswordFile} is gone (only the password's hash is stored)");
        if (DashboardLoginUrl() is { } dashboard)
        {
            lines.Add($"  Aspire dashboard: {dashboard}");
        }

        lines.Add("Ctrl+C stops every process the AppHost started.");
        lines.Add("");
        lock (console)
        {
            foreach (var line in lines)
            {
                console.WriteLine(line);
            }

            console.Flush();
        }
    }

    private async Task WatchStopsAsync(CancellationToken stoppingToken)
    {
        var silos = model.Silos.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                var name = update.Resource.Name;
                var state = update.Snapshot.State?.Text;
                if (!silos.Contains(name) && name != GrainsAppModel.PostgresResourceName)
                {
                    continue;
                }

                if (state is not null && Stopped.Contains(state))
                {
                    if (reported.Add(name))
                    {
                        var code = update.Snapshot.ExitCode is { } exitCode ? $" with code {exitCode}" : "";
                        Alarm($"{name} stopped ({state}{code}); its log is in the dashboard. The other processes keep running; Ctrl+C stops them.");
                    }
                }
                else if (state == KnownResourceStates.Running)
                {
                    reported.Remove(name); // restarted from the dashboard
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private string? ReadAdminToken()
    {
        try
        {
            var token = File.ReadAllText(model.AdminTokenFile).Trim();
            return token.Length > 0 ? token : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // The file has the lines "email: …" and "password: …" (Grains.Server.Seeding.OwnerSeeder).
    private (string Email, string Password)? ReadOwner()
    {
        try
        {
            var fields = File.ReadAllLines(model.OwnerPasswordFile)
                .Select(line => line.Split(':', 2, StringSplitOptions.TrimEntries))
                .Where(parts => parts.Length == 2)
                .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.OrdinalIgnoreCase);
            return fields.TryGetValue("email", out var email) && fields.TryGetValue("password", out var password) && password.Length > 0
                ? (email, password)
                : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private async Task<string?> FindDsnAsync(string token, CancellationToken stoppingToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(model.Silos[0].Url), "/api/0/projects/default/default/keys/"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await http.SendAsync(request, stoppingToken);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(stoppingToken));
            return document.RootElement.ValueKind == JsonValueKind.Array
                && document.RootElement.GetArrayLength() > 0
                && document.RootElement[0].TryGetProperty("dsn", out var dsn)
                && dsn.TryGetProperty("public", out var value)
                    ? value.GetString()
                    : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or TaskCanceledException)
        {
            return null;
        }
    }

    private string? DashboardLoginUrl()
    {
        var url = configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (url is null)
        {
            return null;
        }

        var token = configuration["AppHost:BrowserToken"];
        return string.IsNullOrEmpty(token) ? url : $"{url.TrimEnd('/')}/login?t={token}";
    }

    private void Alarm(string message)
    {
        lock (console)
        {
            console.WriteLine();
            console.WriteLine("!!! " + message);
            console.WriteLine();
            console.Flush();
        }
    }
}

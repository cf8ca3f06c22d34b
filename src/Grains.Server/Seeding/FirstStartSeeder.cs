using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Runtime;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Grains.Server.Seeding;

/// <summary>
/// On first start: organization <c>default</c>, project <c>default</c> with a DSN key, and a
/// generated admin API token (only its hash is stored; the token itself is written to
/// <c>{data}/admin-token</c>, readable by the owner only). On every start it prints the URL, the DSN
/// and the token to the console (not to the logs: tokens are never logged).
/// </summary>
public sealed class FirstStartSeeder(
    IDirectoryStore directory,
    IGrainFactory grains,
    GrainsServerOptions options,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<FirstStartSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var organization = await directory.GetOrganizationAsync("default", cancellationToken)
            ?? await directory.CreateOrganizationAsync("default", "Default", cancellationToken);
        var project = await directory.GetProjectAsync(organization.Id, "default", cancellationToken)
            ?? await directory.CreateProjectAsync(organization.Id, "default", "Default", null, cancellationToken);
        var keys = await directory.ListKeysAsync(project.Id, cancellationToken);
        var key = keys.FirstOrDefault(k => k.IsActive) ?? await grains.GetGrain<IProjectGrain>(project.Id).CreateKeyAsync("Default");

        var tokenFile = Path.Combine(options.DataDirectory, "admin-token");
        string? token = null;
        if (!await directory.AnyTokenAsync(cancellationToken))
        {
            token = ApiTokens.New();
            await directory.CreateTokenAsync("admin", ApiTokens.Hash(token), cancellationToken);
            Directory.CreateDirectory(options.DataDirectory);
            await File.WriteAllTextAsync(tokenFile, token + "\n", cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(tokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            logger.LogInformation("Seeded organization {Organization}, project {Project} and an admin token", organization.Slug, project.Slug);
        }
        else if (File.Exists(tokenFile))
        {
            token = (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim();
        }

        lifetime.ApplicationStarted.Register(() => Announce(project.Id, key.PublicKey, token, tokenFile));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Announce(long projectId, string publicKey, string? token, string tokenFile)
    {
        var url = options.PublicUrl ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Url;
        var uri = new Uri(url);
        var dsn = $"{uri.Scheme}://{publicKey}@{uri.Authority}/{projectId}";
        Console.WriteLine();
        Console.WriteLine($"Grains is running at {url.TrimEnd('/')}/");
        Console.WriteLine($"  DSN:         {dsn}");
        Console.WriteLine(token is null
            ? $"  Admin token: (created earlier; not in {tokenFile})"
            : $"  Admin token: {token}");
        Console.WriteLine($"  API:         curl -H 'Authorization: Bearer <token>' {url.TrimEnd('/')}/api/0/projects/default/default/issues/");
        Console.WriteLine();
    }
}

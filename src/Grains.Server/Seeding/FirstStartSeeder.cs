using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;

using Grains.Postgres;
using Grains.Server.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Grains.Server.Seeding;

/// <summary>
/// On first start: organization <c>default</c>, project <c>default</c> with a DSN key and Sentry's default alert rule, and an admin
/// API token — <see cref="GrainsServerOptions.AdminToken"/> when configured, else a generated one
/// (only its hash is stored; the token itself is written to <c>{data}/admin-token</c>, readable by the
/// owner only), and the dashboard's owner (<see cref="OwnerSeeder"/>: a one-time password printed by the
/// start that created it, kept in <c>{data}/owner-password</c>). On every start it prints the URL and the DSN to the console; the admin token is printed
/// once, by the start that generated it (never to the logs): later starts say where it is kept, and a
/// configured token is never echoed.
/// </summary>
/// <remarks>
/// Several silos may start at once against one PostgreSQL database: there the whole seeding runs under
/// an advisory lock (<see cref="SeedingLock"/>), so the silos seed one after the other and the later
/// ones find everything in place. Each step is idempotent besides (a slug taken meanwhile is re-read),
/// so a seeder that died half-way is completed by the next start. In a cluster the seeding runs once
/// the host has started (the project grain that creates the DSN key may live on a silo that is itself
/// still starting, and silo-to-silo calls need the internal port listening); until it completed the
/// <see cref="SeedingHealthCheck"/> keeps the silo not ready.
/// </remarks>
public sealed class FirstStartSeeder(
    IDirectoryStore directory,
    IRuleStore rules,
    IGrainFactory grains,
    GrainsServerOptions options,
    IServer server,
    IHostApplicationLifetime lifetime,
    ILogger<FirstStartSeeder> logger,
    PostgresDatabase? postgres = null,
    OwnerSeeder? owner = null) : IHostedService
{
    private const string DefaultSlug = "default";
    private readonly TaskCompletionSource _seeded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the seeding has completed.</summary>
    public Task Seeded => _seeded.Task;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (postgres is null)
        {
            await SeedAsync(cancellationToken);
            return;
        }

        lifetime.ApplicationStarted.Register(() => _ = Task.Run(SeedInClusterAsync));
    }

    private async Task SeedInClusterAsync()
    {
        var stopping = lifetime.ApplicationStopping;
        for (var attempt = 1; !stopping.IsCancellationRequested; attempt++)
        {
            try
            {
                await SeedAsync(stopping);
                return;
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Seeding failed (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), CancellationToken.None);
            }
        }
    }

    /// <summary>Seeds now (what <see cref="StartAsync"/> does, at once or after the host started in a cluster).</summary>
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var tokenFile = Path.Combine(options.DataDirectory, "admin-token");
        var ownerFile = Path.Combine(options.DataDirectory, OwnerSeeder.FileName);
        ProjectRecord project;
        ProjectKeyRecord key;
        AdminTokenNotice token;
        OwnerNotice? ownerNotice = null;
        await using (await SeedingLock.AcquireAsync(postgres, cancellationToken))
        {
            var organization = await EnsureOrganizationAsync(cancellationToken);
            project = await EnsureProjectAsync(organization, cancellationToken);
            var keys = await directory.ListKeysAsync(project.Id, cancellationToken);
            key = keys.FirstOrDefault(k => k.IsActive) ?? await grains.GetGrain<IProjectGrain>(project.Id).CreateKeyAsync("Default");
            await DefaultAlertRule.EnsureAsync(rules, project.Id, cancellationToken: cancellationToken);
            token = string.IsNullOrEmpty(options.AdminToken)
                ? await EnsureGeneratedTokenAsync(tokenFile, cancellationToken)
                : await EnsureConfiguredTokenAsync(options.AdminToken, cancellationToken);
            if (owner is not null)
            {
                ownerNotice = await owner.EnsureAsync(organization, ownerFile, cancellationToken);
            }
        }

        _seeded.TrySetResult();
        if (lifetime.ApplicationStarted.IsCancellationRequested)
        {
            Announce(project.Id, key.PublicKey, token, tokenFile, ownerNotice, ownerFile);
        }
        else
        {
            lifetime.ApplicationStarted.Register(() => Announce(project.Id, key.PublicKey, token, tokenFile, ownerNotice, ownerFile));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task<OrganizationRecord> EnsureOrganizationAsync(CancellationToken cancellationToken)
    {
        var organization = await directory.GetOrganizationAsync(DefaultSlug, cancellationToken);
        if (organization is not null)
        {
            return organization;
        }

        try
        {
            return await directory.CreateOrganizationAsync(DefaultSlug, "Default", cancellationToken);
        }
        catch (DuplicateSlugException)
        {
            // Created by another silo meanwhile.
            return await directory.GetOrganizationAsync(DefaultSlug, cancellationToken)
                ?? throw new InvalidOperationException($"Organization '{DefaultSlug}' was reported taken but cannot be read.");
        }
    }

    private async Task<ProjectRecord> EnsureProjectAsync(OrganizationRecord organization, CancellationToken cancellationToken)
    {
        var project = await directory.GetProjectAsync(organization.Id, DefaultSlug, cancellationToken);
        if (project is not null)
        {
            return project;
        }

        try
        {
            return await directory.CreateProjectAsync(organization.Id, DefaultSlug, "Default", null, cancellationToken);
        }
        catch (DuplicateSlugException)
        {
            return await directory.GetProjectAsync(organization.Id, DefaultSlug, cancellationToken)
                ?? throw new InvalidOperationException($"Project '{DefaultSlug}' was reported taken but cannot be read.");
        }
    }

    // The configured token is accepted from now on; it is never written, printed or logged.
    private async Task<AdminTokenNotice> EnsureConfiguredTokenAsync(string token, CancellationToken cancellationToken)
    {
        var hash = ApiTokens.Hash(token);
        if (await directory.FindTokenAsync(hash, cancellationToken) is null)
        {
            try
            {
                await directory.CreateTokenAsync("admin", hash, cancellationToken);
                logger.LogInformation("Stored the configured admin token (Grains:AdminToken)");
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Stored by another process meanwhile (a unique violation on the hash) is fine; anything else is not.
                if (await directory.FindTokenAsync(hash, cancellationToken) is null)
                {
                    throw;
                }
            }
        }

        return AdminTokenNotice.Configured;
    }

    private async Task<AdminTokenNotice> EnsureGeneratedTokenAsync(string tokenFile, CancellationToken cancellationToken)
    {
        if (!await directory.AnyTokenAsync(cancellationToken))
        {
            var token = ApiTokens.New();
            await directory.CreateTokenAsync("admin", ApiTokens.Hash(token), cancellationToken);
            await PrivateDataDirectory.WritePrivateFileAsync(tokenFile, token + "\n", cancellationToken);
            logger.LogInformation("Seeded an admin token (written to {TokenFile})", tokenFile);
            return AdminTokenNotice.Created(token);
        }

        return File.Exists(tokenFile) ? AdminTokenNotice.Kept : AdminTokenNotice.Lost;
    }

    private void Announce(long projectId, string publicKey, AdminTokenNotice token, string tokenFile, OwnerNotice? ownerNotice, string ownerFile)
    {
        var url = options.PublicUrl ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Url;
        var uri = new Uri(url);
        var dsn = $"{uri.Scheme}://{publicKey}@{uri.Authority}/{projectId}";
        Console.WriteLine();
        Console.WriteLine($"Grains is running at {url.TrimEnd('/')}/");
        Console.WriteLine($"  DSN:         {dsn}");
        Console.WriteLine($"  Admin token: {token.Describe(tokenFile)}");
        if (ownerNotice is not null)
        {
            Console.WriteLine($"  Dashboard:   {url.TrimEnd('/')}/");
            Console.WriteLine($"  Sign-in:     {ownerNotice.Describe(ownerFile)}");
        }

        Console.WriteLine($"  API:         curl -H 'Authorization: Bearer <token>' {url.TrimEnd('/')}/api/0/projects/default/default/issues/");
        Console.WriteLine();
    }
}

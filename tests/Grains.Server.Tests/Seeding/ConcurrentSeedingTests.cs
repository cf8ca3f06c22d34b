using System.Reflection;
using System.Security.Cryptography;
using Grains.Monitoring.Postgres;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Postgres;
using Grains.Server.Seeding;
using Grains.Server.Tests.Storage;
using Grains.Testing;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;

namespace Grains.Server.Tests.Seeding;

/// <summary>
/// Silos starting at once against one PostgreSQL database each run the first-start seeder: together
/// they must create one organization, one project, one DSN key, one default alert rule and one admin token.
/// </summary>
public sealed class ConcurrentSeedingTests
{
    private const int Silos = 4;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Seeders_racing_on_one_database_create_one_organization_project_key_and_token(bool configuredToken)
    {
        for (var round = 0; round < 3; round++)
        {
            var connectionString = await PostgresTestServer.CreateDatabaseAsync("seed");
            var token = configuredToken ? "grains_seed_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : null;
            var silos = Enumerable.Range(0, Silos).Select(_ => new Silo(connectionString, token)).ToArray();
            try
            {
                // Each silo's own pool, schema migration and seeder, all at once.
                await Task.WhenAll(silos.Select(s => Task.Run(() => s.Seeder.SeedAsync(CancellationToken.None))));

                var directory = silos[0].Directory;
                var organization = Assert.Single(await directory.ListOrganizationsAsync());
                Assert.Equal("default", organization.Slug);
                var project = Assert.Single(await directory.ListProjectsAsync(organization.Id));
                Assert.Equal("default", project.Slug);
                Assert.Single(await directory.ListKeysAsync(project.Id));
                Assert.Equal(1L, await silos[0].CountAsync("api_tokens"));
                Assert.Equal(global::Grains.Monitoring.Alerts.Rules.DefaultAlertRule.Label, Assert.Single(await silos[0].Rules.ListAsync(project.Id)).Label);
                if (token is not null)
                {
                    Assert.NotNull(await directory.FindTokenAsync(ApiTokens.Hash(token)));
                    Assert.All(silos, s => Assert.False(File.Exists(s.TokenFile)));
                }
                else
                {
                    // The one silo that generated the token wrote it; the others found a token and wrote nothing.
                    var written = Assert.Single(silos, s => File.Exists(s.TokenFile));
                    var generated = (await File.ReadAllTextAsync(written.TokenFile)).Trim();
                    Assert.NotNull(await directory.FindTokenAsync(ApiTokens.Hash(generated)));
                }

                // A later start (all in place) changes nothing.
                await silos[1].Seeder.SeedAsync(CancellationToken.None);
                Assert.Single(await directory.ListKeysAsync(project.Id));
                Assert.Single(await silos[0].Rules.ListAsync(project.Id));
                Assert.Equal(1L, await silos[0].CountAsync("api_tokens"));
            }
            finally
            {
                foreach (var silo in silos)
                {
                    await silo.DisposeAsync();
                }
            }
        }
    }

    /// <summary>What one silo's seeder sees: its own database pool and data directory; the project grain's key creation as the grain does it.</summary>
    private sealed class Silo : IAsyncDisposable
    {
        private readonly PostgresDatabase _database;
        private readonly string _data = Path.Combine(Path.GetTempPath(), "grains-seed-tests", Guid.NewGuid().ToString("N"));

        public Silo(string connectionString, string? adminToken)
        {
            _database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = connectionString });
            Directory = new PostgresDirectoryStore(_database);
            var options = new GrainsServerOptions { DataDirectory = _data, AdminToken = adminToken };
            Rules = new PostgresRuleStore(_database);
            Seeder = new FirstStartSeeder(Directory, Rules, ProjectGrains.Create(Directory), options, new NoServer(), new NoLifetime(), NullLogger<FirstStartSeeder>.Instance, _database);
        }

        public IDirectoryStore Directory { get; }

        public global::Grains.Monitoring.Alerts.Rules.IRuleStore Rules { get; }

        public FirstStartSeeder Seeder { get; }

        public string TokenFile => Path.Combine(_data, "admin-token");

        public async Task<long> CountAsync(string table)
        {
            await using var command = _database.DataSource.CreateCommand($"SELECT COUNT(*) FROM {table}");
            return (long)(await command.ExecuteScalarAsync())!;
        }

        public async ValueTask DisposeAsync()
        {
            await _database.DisposeAsync();
            PostgresStorageTests.DeleteQuietly(_data);
        }
    }

    /// <summary>
    /// An Orleans grain factory that only knows project grains, which create keys as
    /// <c>ProjectGrain.CreateKeyAsync</c> does (in the directory store); the seeder calls nothing else.
    /// </summary>
    public class ProjectGrains : DispatchProxy
    {
        private IDirectoryStore? _directory;

        public static IGrainFactory Create(IDirectoryStore directory)
        {
            var factory = DispatchProxy.Create<IGrainFactory, ProjectGrains>();
            ((ProjectGrains)(object)factory)._directory = directory;
            return factory;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod is { Name: nameof(IGrainFactory.GetGrain), IsGenericMethod: true } && targetMethod.GetGenericArguments()[0] == typeof(IProjectGrain) && args is [long key, ..]
                ? new ProjectGrain(_directory!, key)
                : throw new NotSupportedException(targetMethod?.ToString());
    }

    private sealed class ProjectGrain(IDirectoryStore directory, long projectId) : IProjectGrain
    {
        public async Task<ProjectKeyRecord> CreateKeyAsync(string name)
        {
            var key = new ProjectKeyRecord
            {
                ProjectId = projectId,
                Name = name,
                PublicKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                SecretKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                DateCreated = DateTimeOffset.UtcNow,
            };
            await directory.CreateKeyAsync(key);
            return key;
        }

        public Task<ProjectRecord?> GetAsync() => throw new NotSupportedException();

        public Task<ProjectRecord> UpdateAsync(ProjectUpdate update) => throw new NotSupportedException();

        public Task<global::Grains.Monitoring.Projects.Options.ProjectOptions> GetOptionsAsync() => throw new NotSupportedException();

        public Task<ProjectOptionsUpdate> UpdateOptionsAsync(IReadOnlyDictionary<string, string> inputs) => throw new NotSupportedException();

        public Task<(long IssueId, long ShortNumber)> AllocateIssueAsync() => throw new NotSupportedException();

        public Task<ProjectKeyRecord?> UpdateKeyAsync(string publicKey, string? name, bool? isActive) => throw new NotSupportedException();

        public Task<ProjectKeyRecord?> SetKeyRateLimitAsync(string publicKey, long? count, long? window) => throw new NotSupportedException();

        public Task<bool> DeleteKeyAsync(string publicKey) => throw new NotSupportedException();

        public Task DeleteAsync() => throw new NotSupportedException();
    }

    private sealed class NoServer : IServer
    {
        public IFeatureCollection Features { get; } = new FeatureCollection();

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
        }
    }

    private sealed class NoLifetime : IHostApplicationLifetime
    {
        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication()
        {
        }
    }
}

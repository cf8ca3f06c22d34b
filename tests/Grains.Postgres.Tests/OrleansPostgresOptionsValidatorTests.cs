using Grains.Postgres.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Grains.Postgres.Tests;

public sealed class OrleansPostgresOptionsValidatorTests
{
    private const string Valid = "Host=127.0.0.1;Port=5432;Username=grains;Database=grains";

    public static TheoryData<string, Action<OrleansPostgresOptions>> Invalid => new()
    {
        { "ConnectionString is required", o => o.ConnectionString = "" },
        { "ConnectionString is required", o => o.ConnectionString = "  " },
        { "ConnectionString is malformed", o => o.ConnectionString = "Host=x;NoSuchKeyword=1" },
        { "MigrationTimeout must be positive", o => o.MigrationTimeout = TimeSpan.Zero },
        { "ProbeTimeout must be positive", o => o.ProbeTimeout = TimeSpan.FromSeconds(-1) },
        { "TableRefreshTimeout must be positive", o => o.TableRefreshTimeout = TimeSpan.Zero },
        { "IAmAliveTablePublishTimeout must be positive", o => o.IAmAliveTablePublishTimeout = TimeSpan.Zero },
        { "NumMissedProbesLimit must be at least 1", o => o.NumMissedProbesLimit = 0 },
        { "NumVotesForDeathDeclaration must be at least 1", o => o.NumVotesForDeathDeclaration = 0 },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_invalid_option_fails_with_its_name(string message, Action<OrleansPostgresOptions> spoil)
    {
        var options = new OrleansPostgresOptions { ConnectionString = Valid };
        spoil(options);

        var error = Assert.Throws<OrleansConfigurationException>(() => new OrleansPostgresOptionsValidator(Options.Create(options)).ValidateConfiguration());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_with_a_connection_string_are_valid_and_tuned_for_take_over_within_10_s()
    {
        var options = new OrleansPostgresOptions { ConnectionString = Valid };

        new OrleansPostgresOptionsValidator(Options.Create(options)).ValidateConfiguration();

        // Suspicion after NumMissedProbesLimit probes, then refresh: well inside the 10 s promise.
        Assert.True(options.ProbeTimeout * options.NumMissedProbesLimit + options.TableRefreshTimeout <= TimeSpan.FromSeconds(10));
        Assert.Equal("Npgsql", OrleansPostgresOptions.Invariant);
    }

    [Fact]
    public void A_malformed_connection_string_is_not_echoed()
    {
        var options = new OrleansPostgresOptions { ConnectionString = "Host=x;Password=s3cret;Bogus=1" };

        var error = Assert.Throws<OrleansConfigurationException>(() => new OrleansPostgresOptionsValidator(Options.Create(options)).ValidateConfiguration());

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }
}

using Grains.Postgres;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Grains.Streaming.Storage.Tests;

/// <summary>The checks a silo runs on <see cref="PostgresStorageOptions"/> at start.</summary>
public sealed class PostgresStorageOptionsValidatorTests
{
    private const string Good = "Host=localhost;Port=5432;Username=grains;Password=secret-pw;Database=grains";

    public static TheoryData<string, string, string> Bad => new()
    {
        { "", "PostgresStorageOptions.ConnectionString is required", "none" },
        { "Host=localhost;Nonsense Keyword=1;Password=secret-pw", "PostgresStorageOptions.ConnectionString is malformed", "none" },
        { Good, "PostgresStorageOptions.MaxAppendBatch must be at least 1", "batch" },
        { Good, "PostgresStorageOptions.MigrationTimeout must be positive", "timeout" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Bad_options_fail_the_start_naming_the_option_and_never_the_password(string connectionString, string message, string breaks)
    {
        var options = new PostgresStorageOptions
        {
            ConnectionString = connectionString,
            MaxAppendBatch = breaks == "batch" ? 0 : PostgresStorageOptions.DefaultMaxAppendBatch,
            MigrationTimeout = breaks == "timeout" ? TimeSpan.Zero : PostgresStorageOptions.DefaultMigrationTimeout,
        };

        var exception = Assert.Throws<OrleansConfigurationException>(() => new PostgresStorageOptionsValidator(Options.Create(options)).ValidateConfiguration());

        Assert.StartsWith(message, exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-pw", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Good_options_pass()
    {
        new PostgresStorageOptionsValidator(Options.Create(new PostgresStorageOptions { ConnectionString = Good })).ValidateConfiguration();
    }
}

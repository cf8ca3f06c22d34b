using Grains.Testing;
using Npgsql;

namespace Grains.Postgres.Tests;

public sealed class PostgresConnectionDefaultsTests
{
    private const string Base = "Host=db;Port=5432;Username=grains;Password=secret;Database=grains";

    [Fact]
    public void A_string_without_the_keywords_gets_prepared_statements_and_no_reset()
    {
        var settings = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply(Base));

        Assert.Equal(PostgresConnectionDefaults.MaxAutoPrepare, settings.MaxAutoPrepare);
        Assert.Equal(PostgresConnectionDefaults.AutoPrepareMinUsages, settings.AutoPrepareMinUsages);
        Assert.True(settings.NoResetOnClose);
        Assert.Equal("secret", settings.Password); // the rest of the string is kept, credentials included
        Assert.Equal("db", settings.Host);
    }

    /// <summary>Keywords the user sets, in Npgsql's spellings: their values win.</summary>
    public static TheoryData<string, int, int, bool> UserValues => new()
    {
        { "Max Auto Prepare=0", 0, PostgresConnectionDefaults.AutoPrepareMinUsages, true },
        { "maxautoprepare=5", 5, PostgresConnectionDefaults.AutoPrepareMinUsages, true },
        { "MAX AUTO PREPARE=7;Auto Prepare Min Usages=9", 7, 9, true },
        { "AutoPrepareMinUsages=3", PostgresConnectionDefaults.MaxAutoPrepare, 3, true },
        { "No Reset On Close=false", PostgresConnectionDefaults.MaxAutoPrepare, PostgresConnectionDefaults.AutoPrepareMinUsages, false },
        { "NoResetOnClose=False", PostgresConnectionDefaults.MaxAutoPrepare, PostgresConnectionDefaults.AutoPrepareMinUsages, false },
    };

    [Theory]
    [MemberData(nameof(UserValues))]
    public void A_keyword_the_string_sets_keeps_its_value(string given, int maxAutoPrepare, int minUsages, bool noReset)
    {
        var settings = new NpgsqlConnectionStringBuilder(PostgresConnectionDefaults.Apply(Base + ";" + given));

        Assert.Equal(maxAutoPrepare, settings.MaxAutoPrepare);
        Assert.Equal(minUsages, settings.AutoPrepareMinUsages);
        Assert.Equal(noReset, settings.NoResetOnClose);
    }

    /// <summary>Empty or malformed strings come back unchanged, for the validators to report with the option's name.</summary>
    public static TheoryData<string> Malformed => ["", "   ", "Host=db;Port=notanumber", "Host=db;Unknown Keyword=1", "Host='unterminated"];

    [Theory]
    [MemberData(nameof(Malformed))]
    public void An_empty_or_malformed_string_is_returned_unchanged(string connectionString) =>
        Assert.Equal(connectionString, PostgresConnectionDefaults.Apply(connectionString));

    [Fact]
    public async Task The_database_pool_prepares_a_repeated_statement_and_keeps_it_across_checkouts()
    {
        var connectionString = await PostgresTestServer.CreateDatabaseAsync("prep");
        await using var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = connectionString + ";Maximum Pool Size=1" });

        // Pool of one connection: every checkout gets the same backend, so a reset would drop what it prepared.
        for (var i = 0; i < 3; i++)
        {
            await database.ExecuteAsync("test.select", i, static async (connection, i, cancellationToken) =>
            {
                await using var command = new NpgsqlCommand("SELECT $1::integer + 1", connection);
                command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = i });
                return await command.ExecuteScalarAsync(cancellationToken);
            });
        }

        var prepared = await database.ExecuteAsync("test.prepared", 0, static async (connection, _, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::integer + 1%'", connection);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        });

        Assert.Equal(1L, prepared);
    }
}

using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Grains.Postgres.Schema;
using Grains.Testing;

namespace Grains.Postgres.Tests;

public sealed class OrleansPostgresSchemaTests
{
    private static readonly string[] OrleansTables =
        ["orleansquery", "orleansmembershipversiontable", "orleansmembershiptable", "orleansstorage", "orleansreminderstable"];

    [Fact]
    public async Task Four_migrators_racing_on_an_empty_database_apply_each_script_once()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("orl");
        // Separate instances (and unpooled connections), as four silo processes would have.
        var migrators = Enumerable.Range(0, 4).Select(_ => new PostgresSchemaMigrator(database, TimeSpan.FromMinutes(1))).ToArray();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = migrators
            .Select(m => Task.Run(async () =>
            {
                await start.Task;
                return await m.MigrateAsync(OrleansPostgresSchema.Component, OrleansPostgresSchema.Migrations);
            }))
            .ToArray();

        start.SetResult();
        var applied = await Task.WhenAll(runs);

        // One run applied all four scripts in its transaction; the others waited on the lock and found nothing to do.
        Assert.Equal([0, 0, 0, 4], applied.Order());
        var versions = await Sql.RowsAsync(database, "SELECT version, description FROM grains_component_schema WHERE component = 'orleans' ORDER BY version");
        Assert.Equal([1, 2, 3, 4], versions.Select(r => (int)r[0]));
        Assert.Contains("PostgreSQL-Main.sql", (string)versions[0][1], StringComparison.Ordinal);
        Assert.Contains("PostgreSQL-Reminders.sql", (string)versions[3][1], StringComparison.Ordinal);
        foreach (var table in OrleansTables)
        {
            Assert.Equal(1, await Sql.ScalarAsync(database, $"SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = '{table}'"));
        }

        Assert.Equal(QueryKeysInScripts(), await Sql.ScalarAsync(database, "SELECT count(*) FROM orleansquery"));
    }

    [Fact]
    public async Task A_second_start_is_a_no_op()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("orl");
        Assert.Equal(4, await new PostgresSchemaMigrator(database, TimeSpan.FromMinutes(1)).MigrateAsync(OrleansPostgresSchema.Component, OrleansPostgresSchema.Migrations));
        var before = await Sql.RowsAsync(database, "SELECT version, applied_at FROM grains_component_schema ORDER BY version");

        // The scripts are not idempotent: running any of them again would fail on CREATE TABLE.
        var again = await new PostgresSchemaMigrator(database, TimeSpan.FromMinutes(1)).MigrateAsync(OrleansPostgresSchema.Component, OrleansPostgresSchema.Migrations);

        Assert.Equal(0, again);
        Assert.Equal(before, await Sql.RowsAsync(database, "SELECT version, applied_at FROM grains_component_schema ORDER BY version"));
        Assert.Equal(QueryKeysInScripts(), await Sql.ScalarAsync(database, "SELECT count(*) FROM orleansquery"));
    }

    [Fact]
    public async Task Applying_a_script_twice_would_fail_which_is_why_it_is_versioned()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("orl");
        await new PostgresSchemaMigrator(database, TimeSpan.FromMinutes(1)).MigrateAsync(OrleansPostgresSchema.Component, OrleansPostgresSchema.Migrations);

        var error = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => Sql.ExecuteAsync(database, OrleansPostgresSchema.Migrations[0].Sql));

        Assert.Equal("42P07", error.SqlState); // duplicate_table
    }

    [Fact]
    public async Task A_database_with_a_newer_orleans_schema_is_refused_and_left_alone()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("orl");
        var migrator = new PostgresSchemaMigrator(database, TimeSpan.FromMinutes(1));
        await migrator.MigrateAsync(OrleansPostgresSchema.Component, OrleansPostgresSchema.Migrations);
        await Sql.ExecuteAsync(database, "INSERT INTO grains_component_schema VALUES ('orleans', 5, 'from a newer build', now())");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(OrleansPostgresSchema.Component, OrleansPostgresSchema.Migrations));

        Assert.Contains("version 5", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, await Sql.ScalarAsync(database, "SELECT count(*) FROM grains_component_schema WHERE component = 'orleans'"));
    }

    [Fact]
    public async Task A_failing_migration_keeps_nothing_of_its_run()
    {
        var database = await PostgresTestServer.CreateDatabaseAsync("orl");
        var migrator = new PostgresSchemaMigrator(database, TimeSpan.FromMinutes(1));
        PostgresMigration[] broken = [.. OrleansPostgresSchema.Migrations.Take(2), new("broken", "ALTER TABLE no_such_table ADD COLUMN x integer")];

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => migrator.MigrateAsync("orleans", broken));

        // Not even the versions table survives: the run is one transaction.
        Assert.Equal(0, await Sql.ScalarAsync(database, "SELECT count(*) FROM pg_tables WHERE tablename IN ('orleansquery', 'orleansmembershiptable', 'grains_component_schema')"));
        Assert.Equal(4, await migrator.MigrateAsync(OrleansPostgresSchema.Component, OrleansPostgresSchema.Migrations));
    }

    [Theory]
    [InlineData("PostgreSQL-Main.sql", "623c15320e640cdd3e84d0668dcae481312f2631ac4977bf2eb8cf22e05deb8b")]
    [InlineData("PostgreSQL-Clustering.sql", "75682538351dc15ad74d86fab14110cca2603fd063d19cebc76118ff84c88328")]
    [InlineData("PostgreSQL-Persistence.sql", "6913a5a83988e47a6239a8598f56cfcab529268f1f3cd57862de65b87bec2961")]
    [InlineData("PostgreSQL-Reminders.sql", "3debf0bed0ca0b057bb7d3ec18d826dce6fb52b92b4de69a2100b5a2b3691bd9")]
    public void The_embedded_scripts_are_the_unmodified_attributed_copies(string script, string sha256)
    {
        // The hashes of OrleansScripts/README.md: the files are Orleans' own, byte for byte.
        var bytes = Encoding.UTF8.GetBytes(OrleansPostgresSchema.ReadScript(script));

        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Contains(script, OrleansPostgresSchema.ScriptNames);
    }

    [Fact]
    public void The_licence_ships_beside_the_build_output()
    {
        var licence = Path.Combine(AppContext.BaseDirectory, "OrleansScripts", "LICENSE");

        Assert.True(File.Exists(licence), licence);
        Assert.Contains("Copyright (c) .NET Foundation", File.ReadAllText(licence), StringComparison.Ordinal);
    }

    private static long QueryKeysInScripts() =>
        OrleansPostgresSchema.Migrations.Sum(m => Regex.Matches(m.Sql, @"INSERT INTO OrleansQuery\s*\(", RegexOptions.IgnoreCase).Count);
}

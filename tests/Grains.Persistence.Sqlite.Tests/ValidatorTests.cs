using Grains.Reminders.Sqlite.Hosting;
using Grains.Sqlite;
using Orleans.Runtime;
using Orleans.Storage;

namespace Grains.Persistence.Sqlite.Tests;

/// <summary>Bad options fail a silo's start through Orleans' configuration validators.</summary>
public sealed class ValidatorTests
{
    public static TheoryData<string, Action<SqliteStorageOptions>> BadDatabaseOptions => new()
    {
        { "empty data source", o => o.DataSource = " " },
        { "in-memory data source", o => o.DataSource = ":memory:" },
        { "zero group size", o => o.MaxOperationsPerTransaction = 0 },
        { "negative idle readers", o => o.MaxIdleReadConnections = -1 },
        { "negative busy timeout", o => o.BusyTimeout = TimeSpan.FromSeconds(-1) },
        { "unknown synchronous mode", o => o.Synchronous = (SqliteSynchronousMode)42 },
    };

    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Null(SqliteStorageOptionsChecks.Find(new SqliteStorageOptions()));
        new SqliteGrainStorageOptionsValidator(new SqliteGrainStorageOptions { GrainStorageSerializer = new NoSerializer() }, new SqliteStorageOptions(), "Default").ValidateConfiguration();
        new SqliteReminderTableValidator(new SqliteStorageOptions()).ValidateConfiguration();
    }

    [Theory]
    [MemberData(nameof(BadDatabaseOptions))]
    public void Bad_database_options_fail_both_validators(string why, Action<SqliteStorageOptions> spoil)
    {
        var database = new SqliteStorageOptions();
        spoil(database);

        Assert.True(SqliteStorageOptionsChecks.Find(database) is not null, why);
        var storage = new SqliteGrainStorageOptionsValidator(new SqliteGrainStorageOptions { GrainStorageSerializer = new NoSerializer() }, database, "Default");
        Assert.Throws<OrleansConfigurationException>(storage.ValidateConfiguration);
        Assert.Throws<OrleansConfigurationException>(new SqliteReminderTableValidator(database).ValidateConfiguration);
    }

    [Fact]
    public void A_missing_serializer_fails_the_grain_storage_validator()
    {
        var validator = new SqliteGrainStorageOptionsValidator(new SqliteGrainStorageOptions(), new SqliteStorageOptions(), "Default");

        var ex = Assert.Throws<OrleansConfigurationException>(validator.ValidateConfiguration);
        Assert.Contains("Default", ex.Message);
    }

    private sealed class NoSerializer : IGrainStorageSerializer
    {
        public BinaryData Serialize<T>(T? input) => throw new NotSupportedException();

        public T Deserialize<T>(BinaryData input) => throw new NotSupportedException();
    }
}

using Grains.Runtime.Sqlite;
using Grains.Sqlite;

namespace Grains.Runtime.Providers.Tests.Sqlite;

/// <summary>A database file in its own temporary directory, opened and reopened by a test and deleted afterwards.</summary>
internal sealed class SqliteTestStore : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "grains-providers-tests", Guid.NewGuid().ToString("N"));

    public SqliteTestStore(Action<SqliteStorageOptions>? configure = null)
    {
        // A nested path checks that missing directories are created.
        Options = new SqliteStorageOptions { DataSource = Path.Combine(_directory, "nested", "grains.db") };
        configure?.Invoke(Options);
    }

    public SqliteStorageOptions Options { get; }

    public SqliteDatabase? Database { get; private set; }

    public SqliteDatabase Open()
    {
        if (Database is not null)
        {
            throw new InvalidOperationException("Close the open database first.");
        }

        Database = new SqliteDatabase(Options);
        return Database;
    }

    public async Task CloseAsync()
    {
        if (Database is { } database)
        {
            Database = null;
            await database.DisposeAsync();
        }
    }

    public async Task<SqliteDatabase> ReopenAsync()
    {
        await CloseAsync();
        return Open();
    }

    /// <summary>Simulates a crash of the open database, then opens the file again.</summary>
    public async Task<SqliteDatabase> AbortAndReopenAsync()
    {
        var database = Database ?? throw new InvalidOperationException("No database is open.");
        Database = null;
        await database.AbortAsync();
        return Open();
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory must not fail the test.
        }
    }
}

using Grains.Monitoring.Sqlite;
using Grains.Runtime.Sqlite;

namespace Grains.Monitoring.Storage.Tests;

/// <summary>A fresh database file with the three stores, deleted afterwards.</summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "grains-stores-" + Guid.NewGuid().ToString("N"));

    public TempDatabase()
    {
        Database = new SqliteDatabase(new SqliteStorageOptions { DataSource = System.IO.Path.Combine(_directory, "grains.db") });
        Events = new SqliteEventStore(Database);
        Issues = new SqliteIssueStore(Database);
        Directory = new SqliteDirectoryStore(Database);
    }

    public SqliteDatabase Database { get; }

    public SqliteEventStore Events { get; }

    public SqliteIssueStore Issues { get; }

    public SqliteDirectoryStore Directory { get; }

    public string FilePath => Database.DataSource;

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        try
        {
            System.IO.Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}

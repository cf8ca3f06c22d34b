using Grains.Monitoring.Sqlite;
using Grains.Sqlite;

namespace Grains.Monitoring.Storage.Tests;

/// <summary>A fresh database file with the three stores, deleted afterwards.</summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly string _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "grains-stores-" + Guid.NewGuid().ToString("N"));

    public TempDatabase() => Open();

    public SqliteDatabase Database { get; private set; } = null!;

    public SqliteEventStore Events { get; private set; } = null!;

    public SqliteIssueStore Issues { get; private set; } = null!;

    public SqliteDirectoryStore Directory { get; private set; } = null!;

    /// <summary>Opens the file again after <see cref="Database"/> was closed.</summary>
    public void Reopen() => Open();

    public string FilePath => Database.DataSource;

    private void Open()
    {
        Database = new SqliteDatabase(new SqliteStorageOptions { DataSource = System.IO.Path.Combine(_directory, "grains.db") });
        Events = new SqliteEventStore(Database);
        Issues = new SqliteIssueStore(Database);
        Directory = new SqliteDirectoryStore(Database);
    }

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

using Grains.Monitoring.Sqlite;
using Grains.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Monitoring.Storage.Tests.Backends;

/// <summary>A temp SQLite file (see <see cref="TempDatabase"/>).</summary>
public sealed class SqliteBackend : IStoreBackend
{
    private readonly List<string> _directories = [];
    private TempDatabase _db = null!;

    public string Name => "sqlite";

    public SqliteDatabase Database => _db.Database;

    public IEventStore Events { get; private set; } = null!;

    public IIssueStore Issues { get; private set; } = null!;

    public IDirectoryStore Directory { get; private set; } = null!;

    public Task InitializeAsync()
    {
        _db = new TempDatabase();
        Use(_db.Database);
        return Task.CompletedTask;
    }

    public IItemStore CreateItemStore(ItemStoreOptions? options = null) => new SqliteItemStore(_db.Database, options);

    public Grains.Monitoring.Outcomes.IOutcomeStore CreateOutcomeStore(TimeProvider? time = null) => new SqliteOutcomeStore(_db.Database, time);

    public Grains.Monitoring.Alerts.Delivery.IAlertDeliveryStore CreateAlertDeliveryStore() => new SqliteAlertDeliveryStore(_db.Database);

    public Task ExecuteAsync(string sql) => _db.Database.WriteAsync("test.execute", connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteNonQuery();
    });

    public Task<IReadOnlyList<object?[]>> QueryAsync(string sql) => Task.FromResult(_db.Database.Read(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();

        // A SQLite reader completes synchronously.
        return BackendRows.ReadAllAsync(reader).GetAwaiter().GetResult();
    }));

    public async Task ReopenAsync()
    {
        await _db.Database.DisposeAsync();
        _db.Reopen();
        Use(_db.Database);
    }

    public Task<IServiceCollection> AddStoresAsync(IServiceCollection services)
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "grains-di-" + Guid.NewGuid().ToString("N"));
        _directories.Add(directory);
        return Task.FromResult(services
            .AddGrainsSqliteDatabase(o => o.DataSource = System.IO.Path.Combine(directory, "grains.db"))
            .AddGrainsMonitoringSqlite());
    }

    public async ValueTask DisposeAsync()
    {
        await _db.DisposeAsync();
        foreach (var directory in _directories)
        {
            try
            {
                System.IO.Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp directory is harmless.
            }
        }
    }

    public override string ToString() => Name;

    private void Use(SqliteDatabase database)
    {
        Events = new SqliteEventStore(database);
        Issues = new SqliteIssueStore(database);
        Directory = new SqliteDirectoryStore(database);
    }
}

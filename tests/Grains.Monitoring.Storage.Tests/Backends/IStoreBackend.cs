using Microsoft.Extensions.DependencyInjection;

namespace Grains.Monitoring.Storage.Tests.Backends;

/// <summary>
/// One database of one backend with the monitoring stores over it, fresh for each test (a temp
/// SQLite file, or a new PostgreSQL database), so store tests run unchanged against every backend.
/// </summary>
public interface IStoreBackend : IAsyncDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>.</summary>
    string Name { get; }

    IEventStore Events { get; }

    IIssueStore Issues { get; }

    IDirectoryStore Directory { get; }

    /// <summary>Creates the database and the stores.</summary>
    Task InitializeAsync();

    /// <summary>A new item store over the database.</summary>
    IItemStore CreateItemStore(ItemStoreOptions? options = null);

    /// <summary>A new outcome store over the database.</summary>
    Grains.Monitoring.Outcomes.IOutcomeStore CreateOutcomeStore(TimeProvider? time = null);

    /// <summary>A new alert outbox store over the database.</summary>
    Grains.Monitoring.Alerts.Delivery.IAlertDeliveryStore CreateAlertDeliveryStore();

    /// <summary>Runs raw SQL; each row's values with NULL as null and integers widened to long.</summary>
    Task<IReadOnlyList<object?[]>> QueryAsync(string sql);

    /// <summary>Runs raw SQL that changes the database (on the writer, for SQLite), for tests that set up an older schema.</summary>
    Task ExecuteAsync(string sql);

    /// <summary>Closes the database and opens it again (same data), replacing the stores.</summary>
    Task ReopenAsync();

    /// <summary>
    /// Registers the backend's runtime database and monitoring stores, as a server does, over a further
    /// fresh database (deleted with this backend).
    /// </summary>
    Task<IServiceCollection> AddStoresAsync(IServiceCollection services);
}

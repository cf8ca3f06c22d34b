namespace Grains.Monitoring.Storage.Tests.Backends;

/// <summary>
/// The base of store tests that run against every backend: a test class derives from it with the
/// backend as <typeparamref name="TBackend"/> (one concrete class per backend), and each test gets a
/// fresh database in <see cref="Db"/>.
/// </summary>
public abstract class StoreTests<TBackend> : IAsyncLifetime
    where TBackend : IStoreBackend, new()
{
    protected TBackend Db { get; private set; } = default!;

    public virtual async Task InitializeAsync()
    {
        Db = new TBackend();
        await Db.InitializeAsync();
    }

    public virtual async Task DisposeAsync()
    {
        if (Db is not null)
        {
            await Db.DisposeAsync();
        }
    }
}

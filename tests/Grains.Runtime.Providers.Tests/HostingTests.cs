using Grains.Runtime.Hosting;
using Grains.Runtime.Persistence;
using Grains.Runtime.Reminders;
using Grains.Runtime.Sqlite;
using Grains.Runtime.Streams;
using Grains.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Runtime.Providers.Tests;

public sealed class HostingTests
{
    [Fact]
    public void AddGrainsMemoryStorage_registers_the_memory_providers_as_singletons()
    {
        using var services = new ServiceCollection().AddGrainsMemoryStorage().BuildServiceProvider();

        Assert.IsType<MemoryGrainStorage>(services.GetRequiredService<IGrainStorage>());
        Assert.IsType<MemoryStreamLog>(services.GetRequiredService<IStreamLog>());
        Assert.IsType<MemoryReminderTable>(services.GetRequiredService<IReminderTable>());
        Assert.Same(services.GetRequiredService<IGrainStorage>(), services.GetRequiredService<IGrainStorage>());
        Assert.Same(services.GetRequiredService<MemoryStreamLog>(), services.GetRequiredService<IStreamLog>());
    }

    [Fact]
    public async Task AddGrainsSqlite_registers_the_sqlite_providers_over_one_database_disposed_with_the_container()
    {
        var directory = Path.Combine(Path.GetTempPath(), "grains-providers-tests", Guid.NewGuid().ToString("N"));
        var path = Path.Combine(directory, "grains.db");
        try
        {
            var services = new ServiceCollection()
                .AddGrainsSqlite(options =>
                {
                    options.DataSource = path;
                    options.Synchronous = SqliteSynchronousMode.Normal;
                })
                .BuildServiceProvider();
            var database = services.GetRequiredService<SqliteDatabase>();
            var storage = Assert.IsType<SqliteGrainStorage>(services.GetRequiredService<IGrainStorage>());
            Assert.IsType<SqliteStreamLog>(services.GetRequiredService<IStreamLog>());
            Assert.IsType<SqliteReminderTable>(services.GetRequiredService<IReminderTable>());
            Assert.Equal(Path.GetFullPath(path), database.DataSource);
            Assert.Equal(SqliteSynchronousMode.Normal, database.Synchronous);
            await storage.WriteAsync("state", TestData.NewGrain(), TestData.Bytes("x"), null);

            await services.DisposeAsync();

            await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteAsync("state", TestData.NewGrain(), TestData.Bytes("x"), null));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

using Grains.Sqlite;
using Grains.Streaming.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Orleans.Hosting;

/// <summary>Adds durable-log stream providers on SQLite to a silo.</summary>
public static class SiloBuilderSqliteDurableLogStreamExtensions
{
    /// <summary>
    /// Adds the persistent stream provider <paramref name="name"/> over the SQLite log
    /// (<see cref="SqliteDurableLog"/>) with its dead letters in the same file
    /// (<see cref="SqliteDeadLetterStore"/>), both on the process's shared <see cref="SqliteDatabase"/>
    /// (registered here if nothing registered it before; configure the file with
    /// <see cref="SqliteDatabaseServiceCollectionExtensions.AddGrainsSqliteDatabase"/> or by binding
    /// <see cref="SqliteStorageOptions"/>). Everything else is <c>AddDurableLogStreams</c>'.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The provider's name.</param>
    /// <param name="configure">Further settings (options, cache size); the log and the dead-letter store are set already.</param>
    public static ISiloBuilder AddSqliteDurableLogStreams(this ISiloBuilder builder, string name, Action<SiloDurableLogStreamConfigurator>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.Services.AddGrainsSqliteDatabase();

        // One log per file: a second provider would share its partitions and checkpoints, so a process
        // has one SQLite log provider (the ingest stream).
        builder.Services.TryAddSingleton(sp => new SqliteDurableLog(sp.GetRequiredService<SqliteDatabase>()));
        builder.Services.TryAddSingleton(sp => new SqliteDeadLetterStore(sp.GetRequiredService<SqliteDatabase>()));
        return builder.AddDurableLogStreams(name, streams =>
        {
            streams.UseLog((sp, _) => sp.GetRequiredService<SqliteDurableLog>());
            streams.UseDeadLetterStore((sp, _) => sp.GetRequiredService<SqliteDeadLetterStore>());
            configure?.Invoke(streams);
        });
    }
}

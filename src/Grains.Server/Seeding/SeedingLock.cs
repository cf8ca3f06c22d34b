using Grains.Postgres;
using Npgsql;

namespace Grains.Server.Seeding;

/// <summary>
/// Serializes first-start seeding across silos that share one PostgreSQL database: a
/// transaction-scoped advisory lock held, on a connection of its own, until disposed (or until the
/// process dies and the server ends its session). Without PostgreSQL (the embedded SQLite silo is the
/// only process on its file) it holds nothing.
/// </summary>
internal sealed class SeedingLock : IAsyncDisposable
{
    /// <summary>"GRAINS" in ASCII followed by 0x0002 (migrations use 0x0001); single-bigint advisory keys never collide with two-integer ones.</summary>
    internal const long Key = 0x4752_4149_4E53_0002;

    private readonly NpgsqlConnection? _connection;
    private readonly NpgsqlTransaction? _transaction;

    private SeedingLock(NpgsqlConnection? connection, NpgsqlTransaction? transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    /// <summary>Waits for the lock (at once when <paramref name="postgres"/> is null).</summary>
    public static async Task<SeedingLock> AcquireAsync(PostgresDatabase? postgres, CancellationToken cancellationToken)
    {
        if (postgres is null)
        {
            return new SeedingLock(null, null);
        }

        var connection = await postgres.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction) { CommandTimeout = 0 };
            command.Parameters.AddWithValue("key", Key);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return new SeedingLock(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Ends the transaction, which releases the lock.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync().ConfigureAwait(false);
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }
}

using System.Globalization;
using Grains.Runtime.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace Grains.Runtime.Postgres;

/// <summary>
/// <see cref="IGrainStorage"/> in the <c>grains_state</c> table of a <see cref="PostgresDatabase"/>.
/// The ETag is the row's version number, incremented by every write and clear; a cleared state
/// keeps its row (payload NULL) so versions, and therefore ETags, are never reused.
/// </summary>
/// <remarks>
/// Every write is one conditional statement (autocommit): an <c>UPDATE ... WHERE etag = @etag</c>,
/// or an <c>INSERT ... ON CONFLICT</c> that only revives a cleared row. Two writers presenting the
/// same ETag serialize on the row lock; the second re-checks the condition against the committed
/// row, matches nothing and fails with <see cref="InconsistentStateException"/>. The same holds for
/// two concurrent creations (the second waits on the unique key, then finds a live row).
/// </remarks>
public sealed class PostgresGrainStorage : IGrainStorage
{
    private const string SelectState = "SELECT etag, payload FROM grains_state WHERE state_name = $1 AND grain_id = $2";

    private const string SelectLiveETag = "SELECT etag FROM grains_state WHERE state_name = $1 AND grain_id = $2 AND payload IS NOT NULL";

    // Creates the row, or revives a cleared one (continuing its version); a live row is left alone.
    private const string InsertState = """
        INSERT INTO grains_state AS s (state_name, grain_id, etag, payload) VALUES ($1, $2, 1, $3)
        ON CONFLICT (state_name, grain_id) DO UPDATE SET etag = s.etag + 1, payload = excluded.payload
        WHERE s.payload IS NULL
        RETURNING etag
        """;

    private const string UpdateState = """
        UPDATE grains_state SET etag = etag + 1, payload = $3
        WHERE state_name = $1 AND grain_id = $2 AND etag = $4 AND payload IS NOT NULL
        RETURNING etag
        """;

    private const string ClearState = """
        UPDATE grains_state SET etag = etag + 1, payload = NULL
        WHERE state_name = $1 AND grain_id = $2 AND etag = $3 AND payload IS NOT NULL
        """;

    private readonly PostgresDatabase _database;

    /// <summary>Creates the provider over <paramref name="database"/> (which it does not own).</summary>
    public PostgresGrainStorage(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public Task<GrainStateRecord?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        return _database.ExecuteAsync("state.read", (stateName, grainId: grainId.ToString()), static async (connection, key, cancellationToken) =>
        {
            await using var command = new NpgsqlCommand(SelectState, connection);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.stateName });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.grainId });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false) || await reader.IsDBNullAsync(1, cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new GrainStateRecord(reader.GetFieldValue<byte[]>(1), ETagOf(reader.GetInt64(0)));
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);

        // Copied now: the caller may reuse its buffer as soon as this returns.
        var write = new Write(stateName, grainId, payload.ToArray(), expectedETag);
        return _database.ExecuteAsync("state.write", write, static async (connection, write, cancellationToken) =>
        {
            var id = write.GrainId.ToString();
            var expectedVersion = ParseETag(write.ExpectedETag);
            if (write.ExpectedETag is null || expectedVersion is not null)
            {
                await using var command = new NpgsqlCommand(write.ExpectedETag is null ? InsertState : UpdateState, connection);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.StateName });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
                command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = write.Payload, NpgsqlDbType = NpgsqlDbType.Bytea });
                if (expectedVersion is { } version)
                {
                    command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
                }

                // RETURNING yields no row when the ETag did not match: that is the conflict check.
                if (await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long newVersion)
                {
                    return ETagOf(newVersion);
                }
            }

            var stored = await ReadLiveETagAsync(connection, write.StateName, id, cancellationToken).ConfigureAwait(false);
            throw new InconsistentStateException(write.StateName, write.GrainId, write.ExpectedETag, stored);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        return _database.ExecuteAsync("state.clear", (stateName, grainId, expectedETag), static async (connection, clear, cancellationToken) =>
        {
            var id = clear.grainId.ToString();
            if (ParseETag(clear.expectedETag) is { } version)
            {
                await using var command = new NpgsqlCommand(ClearState, connection);
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = clear.stateName });
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = id });
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = version });
                if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return true;
                }
            }

            // Clearing with "no record" succeeds exactly when there is no live record (nothing to do).
            var stored = await ReadLiveETagAsync(connection, clear.stateName, id, cancellationToken).ConfigureAwait(false);
            if (clear.expectedETag is null && stored is null)
            {
                return true;
            }

            throw new InconsistentStateException(clear.stateName, clear.grainId, clear.expectedETag, stored);
        }, cancellationToken);
    }

    private static string ETagOf(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static long? ParseETag(string? etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    /// <summary>The live ETag, for the conflict report (read after the failed statement, so it includes the write that won).</summary>
    private static async Task<string?> ReadLiveETagAsync(NpgsqlConnection connection, string stateName, string grainId, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SelectLiveETag, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId });
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? ETagOf(version) : null;
    }

    private sealed record Write(string StateName, GrainId GrainId, byte[] Payload, string? ExpectedETag);
}

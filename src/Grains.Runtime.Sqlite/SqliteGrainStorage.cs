using System.Globalization;
using Grains.Runtime.Persistence;
using Grains.Sqlite;

namespace Grains.Runtime.Sqlite;

/// <summary>
/// <see cref="IGrainStorage"/> in the <c>grains_state</c> table of a <see cref="SqliteDatabase"/>.
/// The ETag is the row's version number, incremented by every write and clear; a cleared state
/// keeps its row (payload NULL) so versions, and therefore ETags, are never reused.
/// </summary>
public sealed class SqliteGrainStorage : IGrainStorage
{
    private const string SelectState = """
        SELECT etag, payload FROM grains_state WHERE state_name = @state_name AND grain_id = @grain_id
        """;

    private const string SelectLiveETag = """
        SELECT etag FROM grains_state WHERE state_name = @state_name AND grain_id = @grain_id AND payload IS NOT NULL
        """;

    // Creates the row, or revives a cleared one (continuing its version); a live row is left alone.
    private const string InsertState = """
        INSERT INTO grains_state (state_name, grain_id, etag, payload) VALUES (@state_name, @grain_id, 1, @payload)
        ON CONFLICT (state_name, grain_id) DO UPDATE SET etag = grains_state.etag + 1, payload = excluded.payload
        WHERE grains_state.payload IS NULL
        RETURNING etag
        """;

    private const string UpdateState = """
        UPDATE grains_state SET etag = etag + 1, payload = @payload
        WHERE state_name = @state_name AND grain_id = @grain_id AND etag = @etag AND payload IS NOT NULL
        RETURNING etag
        """;

    private const string ClearState = """
        UPDATE grains_state SET etag = etag + 1, payload = NULL
        WHERE state_name = @state_name AND grain_id = @grain_id AND etag = @etag AND payload IS NOT NULL
        """;

    private readonly SqliteDatabase _database;

    /// <summary>Creates the provider over <paramref name="database"/> (which it does not own).</summary>
    public SqliteGrainStorage(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc />
    public Task<GrainStateRecord?> ReadAsync(string stateName, GrainId grainId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(_database.Read((stateName, grainId), static (commands, key) =>
        {
            var command = commands.Get(SelectState);
            command.Parameters.AddWithValue("@state_name", key.stateName);
            command.Parameters.AddWithValue("@grain_id", key.grainId.ToString());
            using var reader = command.ExecuteReader();
            if (!reader.Read() || reader.IsDBNull(1))
            {
                return null;
            }

            return new GrainStateRecord(reader.GetFieldValue<byte[]>(1), ETagOf(reader.GetInt64(0)));
        }));
    }

    /// <inheritdoc />
    public Task<string> WriteAsync(string stateName, GrainId grainId, ReadOnlyMemory<byte> payload, string? expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);

        // Copied now: the caller may reuse its buffer before the writer gets to this operation.
        return _database.EnqueueAsync(new WriteOperation(stateName, grainId, payload.ToArray(), expectedETag), cancellationToken);
    }

    /// <inheritdoc />
    public Task ClearAsync(string stateName, GrainId grainId, string? expectedETag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stateName);
        return _database.EnqueueAsync(new ClearOperation(stateName, grainId, expectedETag), cancellationToken);
    }

    private static string ETagOf(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static long? ParseETag(string? etag) =>
        long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : null;

    /// <summary>The live ETag, for the conflict report (read in the same transaction, so it is the one that won).</summary>
    private static string? ReadLiveETag(SqliteCommandCache commands, string stateName, string grainId)
    {
        var command = commands.Get(SelectLiveETag);
        command.Parameters.AddWithValue("@state_name", stateName);
        command.Parameters.AddWithValue("@grain_id", grainId);
        return command.ExecuteScalar() is long version ? ETagOf(version) : null;
    }

    private sealed class WriteOperation(string stateName, GrainId grainId, byte[] payload, string? expectedETag) : SqliteWriteOperation<string>
    {
        public override string Kind => "state.write";

        public override bool IsConflict(Exception exception) => exception is InconsistentStateException;

        // One UPDATE or INSERT; the conflict path only reads.
        public override bool IsSingleStatement => true;

        protected override string ExecuteCore(SqliteWriteContext context)
        {
            var commands = context.Commands;
            var id = grainId.ToString();
            var expectedVersion = ParseETag(expectedETag);
            if (expectedETag is null || expectedVersion is not null)
            {
                var command = commands.Get(expectedETag is null ? InsertState : UpdateState);
                command.Parameters.AddWithValue("@state_name", stateName);
                command.Parameters.AddWithValue("@grain_id", id);
                command.Parameters.AddWithValue("@payload", payload);
                if (expectedVersion is { } version)
                {
                    command.Parameters.AddWithValue("@etag", version);
                }

                // RETURNING yields no row when the ETag did not match: that is the conflict check.
                if (command.ExecuteScalar() is long newVersion)
                {
                    return ETagOf(newVersion);
                }
            }

            throw new InconsistentStateException(stateName, grainId, expectedETag, ReadLiveETag(commands, stateName, id));
        }
    }

    private sealed class ClearOperation(string stateName, GrainId grainId, string? expectedETag) : SqliteWriteOperation<bool>
    {
        public override string Kind => "state.clear";

        public override bool IsConflict(Exception exception) => exception is InconsistentStateException;

        // One UPDATE; the conflict path only reads.
        public override bool IsSingleStatement => true;

        protected override bool ExecuteCore(SqliteWriteContext context)
        {
            var commands = context.Commands;
            var id = grainId.ToString();
            if (expectedETag is not null && ParseETag(expectedETag) is { } version)
            {
                var command = commands.Get(ClearState);
                command.Parameters.AddWithValue("@state_name", stateName);
                command.Parameters.AddWithValue("@grain_id", id);
                command.Parameters.AddWithValue("@etag", version);
                if (command.ExecuteNonQuery() == 1)
                {
                    return true;
                }
            }

            // Clearing with "no record" succeeds exactly when there is no live record (nothing to do).
            var stored = ReadLiveETag(commands, stateName, id);
            if (expectedETag is null && stored is null)
            {
                return true;
            }

            throw new InconsistentStateException(stateName, grainId, expectedETag, stored);
        }
    }
}

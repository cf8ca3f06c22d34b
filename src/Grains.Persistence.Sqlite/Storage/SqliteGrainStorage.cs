using System.Globalization;
using Grains.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Grains.Persistence.Sqlite;

/// <summary>
/// Orleans grain storage in the <c>grains_grain_state</c> table of the shared
/// <see cref="SqliteDatabase"/>. Writes join the writer's group-commit transactions, so many grains
/// saving at once cost one fsync; a write completes only after its transaction committed.
/// </summary>
/// <remarks>
/// The ETag is a random 64-bit value replaced on every write and clear. A write or clear whose ETag
/// does not match the stored one (or that expects no record when one exists) raises Orleans'
/// <see cref="InconsistentStateException"/>, which makes Orleans deactivate the stale activation.
/// Reads run on the caller's thread on a pooled read connection (a WAL snapshot beside the writer).
/// </remarks>
public sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    private const string SelectState = "SELECT etag, payload FROM grains_grain_state WHERE service_id = @service_id AND state_name = @state_name AND grain_id = @grain_id";

    private const string SelectETag = "SELECT etag FROM grains_grain_state WHERE service_id = @service_id AND state_name = @state_name AND grain_id = @grain_id";

    // ON CONFLICT DO NOTHING: a row already there means the caller's "no record" is stale.
    private const string InsertState = """
        INSERT INTO grains_grain_state (service_id, state_name, grain_id, etag, payload, updated_at)
        VALUES (@service_id, @state_name, @grain_id, @new_etag, @payload, @now)
        ON CONFLICT DO NOTHING
        """;

    private const string UpdateState = """
        UPDATE grains_grain_state SET etag = @new_etag, payload = @payload, updated_at = @now
        WHERE service_id = @service_id AND state_name = @state_name AND grain_id = @grain_id AND etag = @etag
        """;

    private const string DeleteState = "DELETE FROM grains_grain_state WHERE service_id = @service_id AND state_name = @state_name AND grain_id = @grain_id AND etag = @etag";

    private readonly string _name;
    private readonly string _serviceId;
    private readonly SqliteDatabase _database;
    private readonly SqliteGrainStorageOptions _options;
    private readonly IGrainStorageSerializer _serializer;
    private readonly IActivatorProvider _activators;
    private readonly ILogger _logger;

    /// <summary>Creates the provider and brings its table to the newest schema (one write through the shared writer).</summary>
    /// <param name="name">The provider's name.</param>
    /// <param name="serviceId">Orleans' service id: rows of other services in the same file are invisible.</param>
    /// <param name="database">The shared database.</param>
    /// <param name="options">The provider's options (its serializer must be set).</param>
    /// <param name="activators">Creates the empty state of a grain that has none stored.</param>
    /// <param name="logger">The logger.</param>
    public SqliteGrainStorage(string name, string serviceId, SqliteDatabase database, SqliteGrainStorageOptions options, IActivatorProvider activators, ILogger<SqliteGrainStorage> logger)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(serviceId);
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(activators);
        ArgumentNullException.ThrowIfNull(logger);
        _name = name;
        _serviceId = serviceId;
        _database = database;
        _options = options;
        _serializer = options.GrainStorageSerializer ?? throw new ArgumentException($"{nameof(SqliteGrainStorageOptions.GrainStorageSerializer)} is not set.", nameof(options));
        _activators = activators;
        _logger = logger;
        database.Migrate(SqliteGrainStorageSchema.Component, SqliteGrainStorageSchema.Migrations);
        SqliteGrainStorageLog.Ready(logger, name, database.DataSource, options.DeleteStateOnClear);
    }

    /// <summary>
    /// Takes no lifecycle step: being a participant makes Orleans create the provider while the silo
    /// starts (and so open and migrate the file), so a bad file fails the start, not the first activation.
    /// </summary>
    public void Participate(ISiloLifecycle lifecycle)
    {
    }

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var key = new Key(_serviceId, stateName, grainId.ToString());
        var (etag, payload) = _database.Read(key, static (connection, key) =>
        {
            using var command = key.Command(connection, SelectState);
            using var reader = command.ExecuteReader();
            return reader.Read()
                ? (ETag: (long?)reader.GetInt64(0), Payload: reader.IsDBNull(1) ? null : (byte[])reader.GetValue(1))
                : (ETag: null, Payload: null);
        });

        grainState.ETag = etag is { } value ? FormatETag(value) : null;
        grainState.RecordExists = payload is not null;
        grainState.State = payload is not null ? _serializer.Deserialize<T>(new BinaryData(payload)) : CreateInstance<T>();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);

        // Serialized on the caller's thread: the writer thread only runs SQL.
        var payload = _serializer.Serialize(grainState.State).ToArray();
        var write = new Change(new Key(_serviceId, stateName, grainId.ToString()), grainState.ETag, NewETag(), payload);
        var stored = await _database.WriteAsync("grain_state.write", write, static (connection, write) =>
        {
            var changed = write.Expected is null
                ? write.Execute(connection, InsertState)
                : ParseETag(write.Expected) is { } expected && write.Execute(connection, UpdateState, expected);
            return changed ? (long?)null : write.Key.ReadETag(connection);
        }).ConfigureAwait(false);

        ThrowIfConflict(stored, write, nameof(WriteStateAsync));
        grainState.ETag = FormatETag(write.NewETag);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        ArgumentNullException.ThrowIfNull(grainState);
        var delete = _options.DeleteStateOnClear;
        var clear = new Change(new Key(_serviceId, stateName, grainId.ToString()), grainState.ETag, NewETag(), Payload: null);
        var stored = await _database.WriteAsync(delete ? "grain_state.delete" : "grain_state.clear", (clear, delete), static (connection, s) =>
        {
            var (clear, delete) = s;
            bool changed;
            if (clear.Expected is null)
            {
                // "No record" is right exactly when there is none: deleting has nothing to do, clearing
                // stores an empty row so that the new ETag fences whoever still expects no record.
                changed = delete ? clear.Key.ReadETag(connection) == NoRow : clear.Execute(connection, InsertState);
            }
            else
            {
                changed = ParseETag(clear.Expected) is { } expected && clear.Execute(connection, delete ? DeleteState : UpdateState, expected);
            }

            return changed ? (long?)null : clear.Key.ReadETag(connection);
        }).ConfigureAwait(false);

        ThrowIfConflict(stored, clear, nameof(ClearStateAsync));
        grainState.ETag = delete ? null : FormatETag(clear.NewETag);
        grainState.RecordExists = false;
        grainState.State = CreateInstance<T>();
    }

    private static long NewETag() => Random.Shared.NextInt64(1, long.MaxValue);

    private static string FormatETag(long etag) => etag.ToString("x16", CultureInfo.InvariantCulture);

    private static long? ParseETag(string etag) =>
        long.TryParse(etag, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value) ? value : null;

    private void ThrowIfConflict(long? stored, Change change, string operation)
    {
        // The write delegate returns null on success, and the stored ETag (or the "no row" marker) otherwise.
        if (stored is null)
        {
            return;
        }

        var storedETag = stored.Value == NoRow ? null : FormatETag(stored.Value);
        SqliteGrainStorageLog.Conflict(_logger, _name, operation, change.Key.StateName, change.Key.GrainId, change.Expected, storedETag);
        throw new InconsistentStateException(
            $"Version conflict ({operation}): provider {_name}, state {change.Key.StateName}, grain {change.Key.GrainId}, expected ETag {change.Expected ?? "(none)"}, stored {storedETag ?? "(none)"}.",
            storedETag ?? "",
            change.Expected ?? "");
    }

    private T CreateInstance<T>() => _activators.GetActivator<T>().Create();

    /// <summary>Marks "no row" in the conflict result (never a generated ETag: those are at least 1).</summary>
    private const long NoRow = 0;

    /// <summary>One row's key.</summary>
    private sealed record Key(string ServiceId, string StateName, string GrainId)
    {
        public SqliteCommand Command(SqliteConnection connection, string sql)
        {
            var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("@service_id", ServiceId);
            command.Parameters.AddWithValue("@state_name", StateName);
            command.Parameters.AddWithValue("@grain_id", GrainId);
            return command;
        }

        /// <summary>The stored ETag, or <see cref="NoRow"/>.</summary>
        public long ReadETag(SqliteConnection connection)
        {
            using var command = Command(connection, SelectETag);
            return command.ExecuteScalar() is long etag ? etag : NoRow;
        }
    }

    /// <summary>A write or clear: the caller's ETag, the new one, and the payload (null: cleared).</summary>
    private sealed record Change(Key Key, string? Expected, long NewETag, byte[]? Payload)
    {
        public bool Execute(SqliteConnection connection, string sql, long? expected = null)
        {
            using var command = Key.Command(connection, sql);
            command.Parameters.AddWithValue("@new_etag", NewETag);
            command.Parameters.AddWithValue("@payload", (object?)Payload ?? DBNull.Value);
            command.Parameters.AddWithValue("@now", SqliteTime.ToMicroseconds(DateTimeOffset.UtcNow));
            if (expected is { } etag)
            {
                command.Parameters.AddWithValue("@etag", etag);
            }

            return command.ExecuteNonQuery() == 1;
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Grains.Sqlite;

/// <summary>
/// One SQLite database file shared by every SQLite provider of the process (grain state, reminders,
/// the stream log, the monitoring stores): one instance per file and process. Opening it creates
/// missing directories, switches the file to WAL and creates or migrates the schema.
/// </summary>
/// <remarks>
/// <para>
/// Every write goes through one queue to one writer connection on a dedicated thread, so there is
/// never lock contention inside the process ("database is locked" cannot happen). The writer group
/// commits: it takes every queued operation (up to
/// <see cref="SqliteStorageOptions.MaxOperationsPerTransaction"/>), runs them in one transaction,
/// each inside its own savepoint so a failing operation (an ETag conflict, say) does not undo the
/// others, commits once (one fsync) and only then completes their tasks. While one commit waits on
/// the disk the next group accumulates, so the number of fsyncs grows far slower than the load.
/// </para>
/// <para>Reads run on the caller's thread with pooled read-only connections, concurrently with the writer.</para>
/// </remarks>
public sealed partial class SqliteDatabase : IAsyncDisposable, IDisposable
{
    private readonly ILogger _logger;
    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    private readonly int _maxOperationsPerTransaction;
    private readonly bool _trimStreamOnCheckpoint;
    private readonly Channel<SqliteWriteOperation> _queue = Channel.CreateUnbounded<SqliteWriteOperation>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly SqliteCommandCache _writer;
    private readonly SqliteReadPool _readers;
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Wakes the writer thread. Not the channel's WaitToReadAsync: without synchronous continuations its
    // wake-up is a thread-pool work item, so a starved pool (thousands of activations at a restart with a
    // backlog, all waiting on a write) left the writer asleep beside a full queue for minutes.
    private readonly AutoResetEvent _writerWake = new(false);
    private volatile bool _aborting;
    private int _closing;

    /// <summary>Opens (creating if needed) and migrates the database described by <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="InvalidOperationException">The file's schema is newer than this version knows, or WAL is unavailable.</exception>
    public SqliteDatabase(SqliteStorageOptions options, ILogger<SqliteDatabase>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.DataSource, nameof(options));
        if (options.DataSource.Trim() == ":memory:")
        {
            throw new ArgumentException("The SQLite providers need a database file: readers use their own connections.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxOperationsPerTransaction, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxIdleReadConnections, nameof(options));
        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.BusyTimeout, "The busy timeout must be between zero and int.MaxValue milliseconds.");
        }

        if (!Enum.IsDefined(options.Synchronous))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Synchronous, "Unknown synchronous mode.");
        }

        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _busyTimeoutMilliseconds = (int)options.BusyTimeout.TotalMilliseconds;
        _maxOperationsPerTransaction = options.MaxOperationsPerTransaction;
        _trimStreamOnCheckpoint = options.TrimStreamOnCheckpoint;
        Synchronous = options.Synchronous;
        DataSource = Path.GetFullPath(options.DataSource);
        Directory.CreateDirectory(Path.GetDirectoryName(DataSource)!);

        // Pooling off: this class owns its connections, and a closed database must release the file
        // (tests reopen it; a pooled handle would also keep the WAL from being checkpointed on close).
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = DataSource,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = false,
            // Microsoft.Data.Sqlite retries a busy statement until this command timeout; 0 would mean forever.
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();

        _writer = OpenWriter(out var journalMode);
        try
        {
            SchemaVersion = Migrate();
        }
        catch
        {
            _writer.Dispose();
            throw;
        }

        _readers = new SqliteReadPool(OpenReader, options.MaxIdleReadConnections);
        // UnsafeStart: the writer must not inherit the opener's ExecutionContext (its Activity.Current would parent every commit).
        new Thread(RunWriter) { IsBackground = true, Name = "Grains SQLite writer" }.UnsafeStart();
        SqliteLog.Opened(_logger, DataSource, SchemaVersion, journalMode, Synchronous);
    }

    /// <summary>The full path of the database file.</summary>
    public string DataSource { get; }

    /// <summary>The schema version after migration.</summary>
    public int SchemaVersion { get; }

    /// <summary>The durability of a commit.</summary>
    public SqliteSynchronousMode Synchronous { get; }

    /// <summary>
    /// Completes every queued write (new writes fail with <see cref="ObjectDisposedException"/>),
    /// then closes the connections.
    /// </summary>
    public ValueTask DisposeAsync() => CloseAsync(abort: false);

    /// <inheritdoc cref="DisposeAsync" />
    public void Dispose() => CloseAsync(abort: false).AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Stops as if the process had crashed: the transaction in progress (if any) finishes, queued
    /// writes fail with <see cref="ObjectDisposedException"/> without running, and the connections
    /// close without checkpointing the WAL. Every write whose task completed successfully is durable.
    /// </summary>
    public Task AbortAsync() => CloseAsync(abort: true).AsTask();

    /// <summary>Queues a write; its task completes after the transaction that ran it committed.</summary>
    internal Task<T> EnqueueAsync<T>(SqliteWriteOperation<T> operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        // Started before Prepare, so the commit span links to this write's span rather than to the caller's.
        var caller = Activity.Current;
        var span = StartWriteActivity(caller, operation.Kind);
        operation.Prepare(cancellationToken);
        if (span is not null)
        {
            // Not an async method: the caller's flow must get its own activity back.
            Activity.Current = caller;
        }

        if (!_queue.Writer.TryWrite(operation))
        {
            operation.Drop(new ObjectDisposedException(nameof(SqliteDatabase), "The database is closed."));
        }
        else
        {
            _writerWake.Set();
        }

        return span is null ? operation.Task : TraceAsync(operation.Task, span);
    }

    /// <summary>
    /// A client span for one write (queue wait and commit), a child of the caller's: only inside a
    /// trace, and only when someone listens. Writes outside any trace (checkpoints, timers) would each
    /// start a trace of their own; the commit span already covers them.
    /// </summary>
    private static Activity? StartWriteActivity(Activity? caller, string kind)
    {
        if (caller is null || !SqliteDiagnostics.ActivitySource.HasListeners())
        {
            return null;
        }

        var activity = SqliteDiagnostics.ActivitySource.StartActivity("grains.sqlite." + kind, ActivityKind.Client);
        activity?.SetTag("db.system.name", "sqlite");
        return activity;
    }

    private static async Task<T> TraceAsync<T>(Task<T> write, Activity span)
    {
        try
        {
            return await write.ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            span.SetStatus(ActivityStatusCode.Error, exception.Message);
            throw;
        }
        finally
        {
            span.Dispose();
        }
    }

    /// <summary>Runs <paramref name="read"/> on a pooled read connection (its own snapshot, beside the writer).</summary>
    internal T Read<TState, T>(TState state, Func<SqliteCommandCache, TState, T> read)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closing) != 0, this);
        var session = _readers.Rent();
        try
        {
            return read(session, state);
        }
        finally
        {
            _readers.Return(session);
        }
    }

    private async ValueTask CloseAsync(bool abort)
    {
        var first = Interlocked.Exchange(ref _closing, 1) == 0;
        if (first)
        {
            // Set before completing the queue: the writer reads it when it wakes up.
            _aborting = abort;
            _queue.Writer.TryComplete();
            _writerWake.Set();
        }

        await _writerStopped.Task.ConfigureAwait(false);
        if (first)
        {
            // Readers first, so the writer's connection is the last one and decides about the WAL checkpoint.
            _readers.Dispose();
            if (abort)
            {
                DisableCheckpointOnClose(_writer.Connection);
            }

            // _writerWake is left to the finalizer: an enqueuer whose TryWrite won just before the close may still Set it.
            _writer.Dispose();
            SqliteLog.Closed(_logger, DataSource);
        }
    }

    private SqliteCommandCache OpenWriter(out string journalMode)
    {
        var commands = Open();
        try
        {
            // journal_mode is persistent in the file; the pragma returns the mode actually in effect.
            journalMode = Convert.ToString(commands.Get("PRAGMA journal_mode = WAL").ExecuteScalar(), CultureInfo.InvariantCulture) ?? "";
            if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"SQLite database {DataSource} could not switch to WAL journal mode (got '{journalMode}').");
            }

            commands.Execute($"PRAGMA synchronous = {Synchronous.ToString().ToUpperInvariant()}");
            return commands;
        }
        catch
        {
            commands.Dispose();
            throw;
        }
    }

    private SqliteCommandCache OpenReader()
    {
        var commands = Open();
        commands.Execute("PRAGMA query_only = ON");
        return commands;
    }

    private SqliteCommandCache Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            var commands = new SqliteCommandCache(connection);
            commands.Execute(string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {_busyTimeoutMilliseconds}"));
            return commands;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private int Migrate()
    {
        // IMMEDIATE takes the write lock up front, so two processes starting on one file migrate one after the other.
        _writer.Execute("BEGIN IMMEDIATE");
        try
        {
            _writer.Execute(SqliteSchema.CreateSchemaTable);
            var current = Convert.ToInt32(_writer.Get(SqliteSchema.SelectVersion).ExecuteScalar(), CultureInfo.InvariantCulture);
            if (current > SqliteSchema.LatestVersion)
            {
                throw new InvalidOperationException(
                    $"SQLite database {DataSource} has schema version {current}; this build knows up to {SqliteSchema.LatestVersion}.");
            }

            foreach (var migration in SqliteSchema.Migrations.Where(m => m.Version > current))
            {
                using (var command = _writer.Connection.CreateCommand())
                {
                    command.CommandText = migration.Sql;
                    command.ExecuteNonQuery();
                }

                var insert = _writer.Get(SqliteSchema.InsertVersion);
                insert.Parameters.AddWithValue("@version", migration.Version);
                insert.Parameters.AddWithValue("@description", migration.Description);
                insert.Parameters.AddWithValue("@applied_at", SqliteTime.ToMicroseconds(DateTimeOffset.UtcNow));
                insert.ExecuteNonQuery();
                SqliteLog.MigrationApplied(_logger, migration.Version, migration.Description);
            }

            _writer.Execute("COMMIT");
            return SqliteSchema.LatestVersion;
        }
        catch
        {
            _writer.Execute("ROLLBACK");
            throw;
        }
    }

    private void RunWriter()
    {
        var reader = _queue.Reader;
        var batch = new List<SqliteWriteOperation>();
        try
        {
            while (WaitForWrites(reader))
            {
                if (_aborting)
                {
                    break;
                }

                while (batch.Count < _maxOperationsPerTransaction && reader.TryRead(out var operation))
                {
                    if (operation.TryTake())
                    {
                        batch.Add(operation);
                    }
                }

                if (batch.Count > 0)
                {
                    Commit(batch);
                    batch.Clear();
                }
            }
        }
        catch (Exception exception)
        {
            // Only a bug gets here (Commit handles database errors). Refuse further writes rather than hang them.
            SqliteLog.WriterCrashed(_logger, exception, DataSource);
            _queue.Writer.TryComplete();
            foreach (var operation in batch)
            {
                operation.Complete(exception);
            }
        }
        finally
        {
            var dropped = 0;
            var reason = new ObjectDisposedException(nameof(SqliteDatabase), "The database was closed before this write ran.");
            while (reader.TryRead(out var operation))
            {
                operation.Drop(reason);
                dropped++;
            }

            if (_aborting)
            {
                SqliteLog.Aborted(_logger, DataSource, dropped);
            }

            _writerStopped.TrySetResult();
        }
    }

    /// <summary>Blocks the writer thread until a write is queued (true) or the queue is completed and empty (false).</summary>
    private bool WaitForWrites(ChannelReader<SqliteWriteOperation> reader)
    {
        while (!reader.TryPeek(out _))
        {
            if (reader.Completion.IsCompleted)
            {
                return false;
            }

            // Set after every TryWrite and after TryComplete, so an item or the completion that raced
            // the TryPeek above leaves the event set and this returns at once.
            _writerWake.WaitOne();
        }

        return true;
    }

    private void Commit(List<SqliteWriteOperation> batch)
    {
        var started = Stopwatch.GetTimestamp();
        var activity = StartCommitActivity(batch);
        var context = new SqliteWriteContext(_writer, DateTimeOffset.UtcNow, _trimStreamOnCheckpoint);
        var failures = new Exception?[batch.Count];
        Exception? transactionFailure = null;
        try
        {
            _writer.Execute("BEGIN IMMEDIATE");
            for (var i = 0; i < batch.Count; i++)
            {
                // A single-statement operation needs no savepoint: a failed statement undoes itself.
                // Skipping it saves two statements per operation on the one writer thread.
                var savepoint = !batch[i].IsSingleStatement;
                if (savepoint)
                {
                    _writer.Execute("SAVEPOINT grains_op");
                }

                try
                {
                    batch[i].Execute(context);
                }
                catch (Exception exception)
                {
                    failures[i] = exception;

                    // Undo what this operation did; the earlier ones stay in the transaction. If SQLite
                    // already rolled the whole transaction back, this throws and fails the batch below.
                    if (savepoint)
                    {
                        _writer.Execute("ROLLBACK TO grains_op");
                    }
                    else if (SQLitePCL.raw.sqlite3_get_autocommit(_writer.Connection.Handle) != 0)
                    {
                        throw new InvalidOperationException("SQLite ended the group-commit transaction after a failed statement.", exception);
                    }

                    if (!batch[i].IsConflict(exception))
                    {
                        SqliteLog.OperationFailed(_logger, exception, batch[i].Kind);
                    }
                }

                if (savepoint)
                {
                    _writer.Execute("RELEASE grains_op");
                }
            }

            _writer.Execute("COMMIT");
        }
        catch (Exception exception)
        {
            transactionFailure = exception;
            SqliteLog.TransactionFailed(_logger, exception, batch.Count);
            activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
            RollbackQuietly();
        }

        // Ended before the callers resume, so their traces never see the commit still open.
        activity?.Dispose();
        var elapsed = Stopwatch.GetElapsedTime(started);
        SqliteDiagnostics.TransactionSize.Record(batch.Count);
        SqliteDiagnostics.CommitDuration.Record(elapsed.TotalSeconds);
        SqliteLog.Committed(_logger, batch.Count, elapsed.TotalMilliseconds);
        for (var i = 0; i < batch.Count; i++)
        {
            var failure = transactionFailure ?? failures[i];
            var outcome = failure is null ? "ok" : transactionFailure is null && batch[i].IsConflict(failure) ? "conflict" : "error";
            SqliteDiagnostics.Operations.Add(1, new TagList { { "grains.sqlite.operation", batch[i].Kind }, { "grains.sqlite.outcome", outcome } });
            batch[i].Complete(failure);
        }
    }

    private void RollbackQuietly()
    {
        if (SQLitePCL.raw.sqlite3_get_autocommit(_writer.Connection.Handle) != 0)
        {
            return; // SQLite already ended the transaction (or BEGIN itself failed).
        }

        try
        {
            _writer.Execute("ROLLBACK");
        }
        catch (SqliteException exception)
        {
            SqliteLog.RollbackFailed(_logger, exception);
        }
    }

    private static Activity? StartCommitActivity(List<SqliteWriteOperation> batch)
    {
        if (!SqliteDiagnostics.ActivitySource.HasListeners())
        {
            return null;
        }

        // One span per transaction, linked to every caller's span: a caller's trace shows the commit it waited for.
        var links = new List<ActivityLink>();
        foreach (var operation in batch)
        {
            if (operation.CallerContext != default)
            {
                links.Add(new ActivityLink(operation.CallerContext));
            }
        }

        var activity = SqliteDiagnostics.ActivitySource.StartActivity("grains.sqlite.commit", ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag("db.system.name", "sqlite");
        activity?.SetTag("grains.sqlite.operations", batch.Count);
        return activity;
    }

    private static void DisableCheckpointOnClose(SqliteConnection connection)
    {
        // Leaves the WAL file as a crash would, so reopening must recover from it.
        SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
    }
}

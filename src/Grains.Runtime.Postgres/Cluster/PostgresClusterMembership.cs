using System.Diagnostics;
using Grains.Runtime.Cluster;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Grains.Runtime.Postgres.Cluster;

/// <summary>
/// A silo's membership in a PostgreSQL cluster and its partition leases. It registers the silo
/// (address + generation) on a dedicated session that holds the silo's liveness lock and one
/// advisory lock per owned partition. Every <see cref="ClusterOptions.RefreshInterval"/> it renews
/// the heartbeat, reads who is alive (a silo is alive while its session holds its lock, so a
/// <c>kill -9</c> is seen at the next refresh), computes each partition's target owner by
/// rendezvous hashing over the active silos, drains and unlocks partitions that should move away,
/// and locks the ones that should come here (bumping the partition's epoch). If the session is lost
/// the silo stops serving every partition at once and joins again as a new generation.
/// </summary>
internal sealed class PostgresClusterMembership : IHostedService, IClusterMembership, IAsyncDisposable
{
    private readonly PostgresDatabase _database;
    private readonly ClusterOptions _options;
    private readonly ClusterPartitionDirectory _directory;
    private readonly SiloPartitions _partitions;
    private readonly ILogger<PostgresClusterMembership> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly HashSet<int> _owned = [];
    private readonly Dictionary<int, Task> _draining = [];
    private NpgsqlConnection? _session;
    private Task _loop = Task.CompletedTask;
    private long _siloId;
    private volatile bool _leaving;

    public PostgresClusterMembership(PostgresDatabase database, ClusterOptions options, ClusterPartitionDirectory directory, SiloPartitions partitions, ILogger<PostgresClusterMembership> logger)
    {
        _database = database;
        _options = options;
        _directory = directory;
        _partitions = partitions;
        _logger = logger;
        directory.RefreshRequested += Wake;
    }

    /// <summary>Whether the silo is registered and has completed a balancing round since (readiness).</summary>
    public bool IsJoined { get; private set; }

    /// <summary>The current membership row id (changes when the silo rejoins).</summary>
    public long SiloId => Interlocked.Read(ref _siloId);

    /// <summary>The partitions this silo holds the lease of.</summary>
    public IReadOnlyCollection<int> OwnedPartitions
    {
        get
        {
            lock (_owned)
            {
                return _owned.ToArray();
            }
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _database.MigrateAsync(ClusterSchema.Component, ClusterSchema.Migrations, cancellationToken);
        await JoinAsync(cancellationToken);
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    /// <summary>Graceful leave: stop being a target, drain and hand over every partition, then deregister.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _leaving = true;
        Wake();
        _stopping.Cancel();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        if (_session is null)
        {
            return;
        }

        try
        {
            await ExecuteAsync("UPDATE grains_silos SET status = 'leaving', heartbeat = now() WHERE silo_id = @id", ("id", SiloId));
            Task[] handOvers;
            lock (_owned)
            {
                foreach (var partition in _owned.Where(p => !_draining.ContainsKey(p)).ToList())
                {
                    _draining[partition] = Task.Run(() => ReleaseAsync(partition));
                }

                handOvers = [.. _draining.Values];
            }

            _logger.LogInformation("Leaving the cluster: handing over {Count} partitions", handOvers.Length);
            await Task.WhenAll(handOvers);
            await ExecuteAsync("UPDATE grains_silos SET status = 'left', heartbeat = now() WHERE silo_id = @id", ("id", SiloId));
            _logger.LogInformation("Left the cluster");
        }
        catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
        {
            _logger.LogWarning(exception, "Leaving the cluster failed; the session's end releases the leases");
        }
        finally
        {
            await CloseSessionAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
            // Disposing aborts: whatever the last round was doing does not matter any more.
        }

        await CloseSessionAsync();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
        }
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        while (!token.IsCancellationRequested)
        {
            var pending = false;
            try
            {
                if (_session is null)
                {
                    await JoinAsync(token);
                }

                await _sessionGate.WaitAsync(token);
                try
                {
                    pending = await RefreshAsync(token);
                }
                finally
                {
                    _sessionGate.Release();
                }

                IsJoined = true;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (IsSessionLost(exception))
            {
                LoseSession(exception);
            }
            catch (Exception exception) when (exception is NpgsqlException)
            {
                _logger.LogWarning(exception, "Cluster refresh failed; retrying");
            }

            // While a partition this silo should own is still locked by its previous owner (draining),
            // look again soon: the hand-over completes at the unlock, not at the next full interval.
            var delay = pending ? TimeSpan.FromMilliseconds(Math.Min(200, _options.RefreshInterval.TotalMilliseconds)) : _options.RefreshInterval;
            try
            {
                await _wake.WaitAsync(delay, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task JoinAsync(CancellationToken cancellationToken)
    {
        var session = _database.CreateSessionConnection(settings =>
        {
            settings.Pooling = false;
            settings.KeepAlive = 5;
            settings.TcpKeepAlive = true;
            settings.ApplicationName = $"Grains membership {_options.AdvertisedAddress}";
        });
        await session.OpenAsync(cancellationToken);
        var generation = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        // One statement: the row becomes visible only when it commits, and by then its liveness lock is
        // held, so no other silo can see the new row without its lock and declare it dead.
        await using (var command = new NpgsqlCommand("""
            WITH registered AS (
                INSERT INTO grains_silos (address, generation, status) VALUES (@address, @generation, 'active')
                RETURNING silo_id)
            SELECT silo_id, pg_advisory_lock(@space, silo_id::integer) IS NOT NULL FROM registered
            """, session))
        {
            command.Parameters.AddWithValue("address", _options.AdvertisedAddress);
            command.Parameters.AddWithValue("generation", generation);
            command.Parameters.AddWithValue("space", LockSpace.Silo);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            Interlocked.Exchange(ref _siloId, reader.GetInt64(0));
        }

        _session = session;
        _logger.LogInformation("Joined the cluster as silo {SiloId} ({Address}, generation {Generation})", SiloId, _options.AdvertisedAddress, generation);
    }

    /// <summary>One round; returns whether some partition this silo should own could not be locked yet.</summary>
    private async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var session = _session!;
        await using (var heartbeat = new NpgsqlCommand("UPDATE grains_silos SET heartbeat = now() WHERE silo_id = @id", session))
        {
            heartbeat.Parameters.AddWithValue("id", SiloId);
            await heartbeat.ExecuteNonQueryAsync(cancellationToken);
        }

        var members = await ReadMembersAsync(session, cancellationToken);
        var dead = members.Where(m => !m.Alive && m.Status is "active" or "leaving").Select(m => m.SiloId).ToArray();
        if (dead.Length > 0)
        {
            await using var mark = new NpgsqlCommand("UPDATE grains_silos SET status = 'dead' WHERE silo_id = ANY(@ids) AND status IN ('active', 'leaving')", session);
            mark.Parameters.AddWithValue("ids", dead);
            await mark.ExecuteNonQueryAsync(cancellationToken);
            foreach (var silo in members.Where(m => dead.Contains(m.SiloId)))
            {
                _logger.LogWarning("Silo {SiloId} ({Address}) is gone; its partitions move", silo.SiloId, silo.Address);
            }
        }

        var alive = members.Where(m => m.Alive).ToDictionary(m => m.SiloId);
        await ReadOwnersAsync(session, alive, cancellationToken);

        if (!_leaving && members.All(m => m.SiloId != SiloId))
        {
            // Declared dead by another silo (our heartbeat was late, say) while this session still holds
            // every lock: nobody can have taken our partitions, so we simply become active again.
            await using var revive = new NpgsqlCommand("UPDATE grains_silos SET status = 'active', heartbeat = now() WHERE silo_id = @id RETURNING address, generation", session);
            revive.Parameters.AddWithValue("id", SiloId);
            await using (var reader = await revive.ExecuteReaderAsync(cancellationToken))
            {
                if (await reader.ReadAsync(cancellationToken))
                {
                    members.Add(new SiloMember(SiloId, reader.GetString(0), reader.GetInt64(1), "active", Alive: true));
                }
            }

            _logger.LogWarning("Silo {SiloId} was declared dead while it held its session; it is active again", SiloId);
        }

        var targets = members.Where(m => m.Alive && m.Status == "active").Select(m => m.PlacementName).ToArray();
        var self = members.FirstOrDefault(m => m.SiloId == SiloId)?.PlacementName;
        var release = new List<int>();
        var acquire = new List<int>();
        for (var partition = 0; partition < _directory.PartitionCount; partition++)
        {
            var mine = !_leaving && self is not null && RendezvousHash.Owner(partition, targets) == self;
            bool owned;
            bool draining;
            lock (_owned)
            {
                owned = _owned.Contains(partition);
                draining = _draining.ContainsKey(partition);
            }

            if (owned && !mine && !draining)
            {
                release.Add(partition);
            }
            else if (!owned && mine)
            {
                acquire.Add(partition);
            }
        }

        if (release.Count > 0)
        {
            // Drains run beside the rounds (a slow one must not stop the heartbeat); each unlocks when done.
            _logger.LogInformation("Handing over {Count} partitions: {Partitions}", release.Count, release);
            lock (_owned)
            {
                foreach (var partition in release)
                {
                    _draining[partition] = Task.Run(() => ReleaseAsync(partition));
                }
            }
        }

        var acquired = acquire.Count > 0 ? await AcquireAsync(session, acquire, cancellationToken) : 0;
        if (acquired > 0)
        {
            await ReadOwnersAsync(session, alive, cancellationToken);
        }

        return acquired < acquire.Count;
    }

    private async Task<List<SiloMember>> ReadMembersAsync(NpgsqlConnection session, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT s.silo_id, s.address, s.generation, s.status,
                   EXISTS (SELECT 1 FROM pg_locks l
                           WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
                             AND l.classid = @space::oid AND l.objid = s.silo_id::oid
                             AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))
                   AND s.heartbeat > now() - @dead_after AS alive
            FROM grains_silos s
            WHERE s.status IN ('active', 'leaving')
            """, session);
        command.Parameters.AddWithValue("space", (long)LockSpace.Silo);
        command.Parameters.AddWithValue("dead_after", _options.SiloDeadAfter);
        var members = new List<SiloMember>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            members.Add(new SiloMember(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetBoolean(4)));
        }

        return members;
    }

    private async Task ReadOwnersAsync(NpgsqlConnection session, Dictionary<long, SiloMember> alive, CancellationToken cancellationToken)
    {
        var owners = new PartitionOwner?[_directory.PartitionCount];
        await using var command = new NpgsqlCommand("SELECT partition_id, owner_silo_id, owner_address, epoch FROM grains_partitions", session);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var partition = reader.GetInt32(0);
            var silo = reader.GetInt64(1);
            // An owner that is gone is no owner: callers wait for the take-over instead of knocking on a dead silo.
            if ((uint)partition < (uint)owners.Length && alive.ContainsKey(silo))
            {
                owners[partition] = new PartitionOwner(silo, reader.GetString(2), reader.GetInt64(3));
            }
        }

        _directory.SetOwners(owners);
    }

    private async Task<int> AcquireAsync(NpgsqlConnection session, List<int> candidates, CancellationToken cancellationToken)
    {
        var locked = new List<int>();
        await using (var command = new NpgsqlCommand("SELECT p FROM unnest(@partitions) AS p WHERE pg_try_advisory_lock(@space, p)", session))
        {
            command.Parameters.AddWithValue("partitions", candidates.ToArray());
            command.Parameters.AddWithValue("space", LockSpace.Partition);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                locked.Add(reader.GetInt32(0));
            }
        }

        if (locked.Count == 0)
        {
            return 0;
        }

        var epochs = new Dictionary<int, long>();
        await using (var command = new NpgsqlCommand("""
            INSERT INTO grains_partitions (partition_id, owner_silo_id, owner_address, epoch)
            SELECT p, @silo, @address, 1 FROM unnest(@partitions) AS p
            ON CONFLICT (partition_id) DO UPDATE
                SET owner_silo_id = excluded.owner_silo_id, owner_address = excluded.owner_address,
                    epoch = grains_partitions.epoch + 1, changed_at = now()
            RETURNING partition_id, epoch
            """, session))
        {
            command.Parameters.AddWithValue("partitions", locked.ToArray());
            command.Parameters.AddWithValue("silo", SiloId);
            command.Parameters.AddWithValue("address", _options.AdvertisedAddress);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                epochs[reader.GetInt32(0)] = reader.GetInt64(1);
            }
        }

        foreach (var partition in locked)
        {
            lock (_owned)
            {
                _owned.Add(partition);
            }

            await _partitions.StartAsync(partition, cancellationToken);
        }

        _logger.LogInformation("Acquired {Count} partitions: {Partitions} (epochs {Epochs})", locked.Count, locked, locked.Select(p => epochs.GetValueOrDefault(p)));
        return locked.Count;
    }

    private async Task ReleaseAsync(int partition)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await _partitions.DrainAsync(partition);
            await ExecuteAsync("SELECT pg_advisory_unlock(@space, @partition)", ("space", LockSpace.Partition), ("partition", partition));
        }
        finally
        {
            lock (_owned)
            {
                _owned.Remove(partition);
                _draining.Remove(partition);
            }
        }

        _logger.LogInformation("Handed over partition {Partition} after draining for {Elapsed} ms", partition, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private readonly SemaphoreSlim _sessionGate = new(1, 1);

    private async Task ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        // Releases run side by side; a connection runs one command at a time.
        await _sessionGate.WaitAsync();
        try
        {
            await using var command = new NpgsqlCommand(sql, _session);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            _sessionGate.Release();
        }
    }

    private static bool IsSessionLost(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } or System.IO.IOException or System.Net.Sockets.SocketException
        || (exception is NpgsqlException and not PostgresException)
        || exception is PostgresException { SqlState: "57P01" or "57P02" or "57P03" } // admin shutdown, crash shutdown, cannot connect now
        || (exception is InvalidOperationException && exception.Message.Contains("connection", StringComparison.OrdinalIgnoreCase));

    private void LoseSession(Exception exception)
    {
        int[] lost;
        lock (_owned)
        {
            lost = [.. _owned];
            _owned.Clear();
            _draining.Clear();
        }

        _logger.LogError(exception, "Lost the membership session: stopping {Count} partitions at once and rejoining as a new generation", lost.Length);
        foreach (var partition in lost)
        {
            _partitions.Abandon(partition);
        }

        IsJoined = false;
        var session = _session;
        _session = null;
        _ = Task.Run(async () =>
        {
            try
            {
                if (session is not null)
                {
                    await session.DisposeAsync();
                }
            }
            catch (Exception)
            {
                // The session is broken already.
            }
        });
    }

    private async Task CloseSessionAsync()
    {
        var session = Interlocked.Exchange(ref _session, null);
        if (session is not null)
        {
            await session.DisposeAsync();
        }
    }
}

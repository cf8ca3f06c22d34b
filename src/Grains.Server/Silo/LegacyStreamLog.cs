using Grains.Streaming;
using Orleans.Runtime;
using OldLog = Grains.Runtime.Streams.IStreamLog;
using OldRecord = Grains.Runtime.Streams.StreamRecord;
using OldStreamId = Grains.Runtime.Streams.StreamId;

namespace Grains.Server.Silo;

/// <summary>Temporary: the old runtime's SQLite/PostgreSQL stream log behind <see cref="IDurableLog"/>, until Grains.Streaming.Sqlite/Postgres land.</summary>
internal sealed class LegacyStreamLog(OldLog log) : IDurableLog
{
    public Task AppendAsync(IReadOnlyList<LogRecord> records, CancellationToken cancellationToken = default) =>
        log.AppendAsync(records.Select(r => new OldRecord(r.Partition, new OldStreamId(r.Stream.GetNamespace() ?? "", r.Stream.GetKeyAsString()), r.Payload)).ToList(), cancellationToken);

    public async Task<IReadOnlyList<StoredLogRecord>> ReadAsync(int partition, long afterOffset, int maxCount, CancellationToken cancellationToken = default) =>
        (await log.ReadAsync(partition, afterOffset, maxCount, cancellationToken))
            .Select(r => new StoredLogRecord(r.Offset, StreamId.Create(r.Stream.Namespace, r.Stream.Key), r.Payload, r.AppendedAt))
            .ToList();

    public Task<long> GetCheckpointAsync(int partition, CancellationToken cancellationToken = default) => log.GetCheckpointAsync(partition, cancellationToken);

    public Task SetCheckpointAsync(int partition, long offset, CancellationToken cancellationToken = default) => log.SetCheckpointAsync(partition, offset, cancellationToken);
}

using System.Collections.Concurrent;
using System.Text;
using Orleans.Runtime;

namespace Grains.Streaming.Storage.Tests;

/// <summary>
/// What every <see cref="IDurableLog"/> must do, run once per backend (memory, SQLite, PostgreSQL):
/// order and visibility, concurrent appends, checkpoints, trimming and malformed input.
/// </summary>
public abstract class DurableLogContract : IAsyncLifetime
{
    protected const string Namespace = "contract";

    /// <summary>The log under test, fresh per test.</summary>
    protected IDurableLog Log { get; private set; } = null!;

    public async Task InitializeAsync() => Log = await CreateLogAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Creates an empty log (with trimming on checkpoint, the default of every backend).</summary>
    protected abstract Task<IDurableLog> CreateLogAsync();

    /// <summary>The log again as a restarted process sees it (the same instance for the memory log).</summary>
    protected abstract Task<IDurableLog> ReopenAsync();

    /// <summary>The writers of the concurrency test: <see cref="Log"/>, plus other instances on the same storage where the backend has several writers (silos).</summary>
    protected virtual Task<IReadOnlyList<IDurableLog>> WritersAsync() => Task.FromResult<IReadOnlyList<IDurableLog>>([Log]);

    protected static LogRecord Entry(int partition, string key, string payload) =>
        new(partition, StreamId.Create(Namespace, key), Encoding.UTF8.GetBytes(payload));

    protected static string Text(StoredLogRecord record) => Encoding.UTF8.GetString(record.Payload.Span);

    [Fact]
    public async Task Records_read_back_per_partition_in_offset_order_with_their_stream_and_payload()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await Log.AppendAsync([Entry(0, "a", "a0"), Entry(1, "b", "b0"), Entry(0, "c", "c0")]);
        await Log.AppendAsync([Entry(1, "b", "b1"), Entry(0, "a", "a1")]);

        var zero = await Log.ReadAsync(0, 0, 100);
        var one = await Log.ReadAsync(1, 0, 100);

        Assert.Equal(["a0", "c0", "a1"], zero.Select(Text));
        Assert.Equal(["b0", "b1"], one.Select(Text));
        Assert.Equal([StreamId.Create(Namespace, "a"), StreamId.Create(Namespace, "c"), StreamId.Create(Namespace, "a")], zero.Select(r => r.Stream));
        Assert.All(zero.Concat(one), r => Assert.InRange(r.AppendedAt, before, DateTimeOffset.UtcNow.AddSeconds(1)));
        Assert.True(zero.Zip(zero.Skip(1)).All(p => p.First.Offset < p.Second.Offset), "offsets ascend within a partition");
        Assert.Empty(await Log.ReadAsync(2, 0, 100));
    }

    [Fact]
    public async Task A_payload_is_copied_unless_a_whole_array_is_handed_over()
    {
        var kept = Encoding.UTF8.GetBytes("kept");
        var slice = Encoding.UTF8.GetBytes("[sliced]");
        var handed = Encoding.UTF8.GetBytes("handed");
        var stream = StreamId.Create(Namespace, "k");
        await Log.AppendAsync(
        [
            new LogRecord(0, stream, kept),
            new LogRecord(0, stream, slice.AsMemory(1, 6)) { PayloadHandedOver = true }, // part of an array: copied all the same
            new LogRecord(0, stream, handed) { PayloadHandedOver = true },
        ]);

        // The caller reuses the buffers it kept (and the one it handed over only in part) once the append returned.
        kept.AsSpan().Fill((byte)'x');
        slice.AsSpan().Fill((byte)'x');

        Assert.Equal(["kept", "sliced", "handed"], (await Log.ReadAsync(0, 0, 100)).Select(Text));
    }

    [Fact]
    public async Task Each_record_reads_back_with_the_trace_context_it_was_appended_with()
    {
        var withState = new LogTraceContext("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=opaque,other=1");
        var withoutState = new LogTraceContext("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", null);
        await Log.AppendAsync(
        [
            Entry(0, "a", "traced") with { Trace = withState },
            Entry(0, "a", "untraced"),
            Entry(0, "b", "parent only") with { Trace = withoutState },
        ]);

        var records = await Log.ReadAsync(0, 0, 10);

        Assert.Equal(["traced", "untraced", "parent only"], records.Select(Text));
        Assert.Equal([withState, null, withoutState], records.Select(r => r.Trace));
    }

    [Fact]
    public async Task A_read_after_an_offset_with_a_limit_pages_through_the_partition()
    {
        await Log.AppendAsync([.. Enumerable.Range(0, 10).Select(i => Entry(3, "k", $"p{i}"))]);

        var first = await Log.ReadAsync(3, 0, 4);
        var second = await Log.ReadAsync(3, first[^1].Offset, 4);
        var third = await Log.ReadAsync(3, second[^1].Offset, 4);
        var after = await Log.ReadAsync(3, third[^1].Offset, 4);

        Assert.Equal(["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"], first.Concat(second).Concat(third).Select(Text));
        Assert.Equal(2, third.Count);
        Assert.Empty(after);
    }

    [Fact]
    public async Task An_empty_append_changes_nothing()
    {
        await Log.AppendAsync([]);
        Assert.Empty(await Log.ReadAsync(0, 0, 10));
    }

    [Fact]
    public async Task Concurrent_appends_never_let_a_tailing_reader_skip_a_record()
    {
        const int partitions = 4, tasks = 16, appendsPerTask = 25;
        var writers = await WritersAsync();
        var appended = new ConcurrentBag<string>();
        var seen = new ConcurrentDictionary<string, int>();
        var failures = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();

        // One reader per partition tails the log the way a queue receiver does: always after the last
        // offset it saw. A record that became visible after a higher offset had been read would be
        // skipped for good, and its payload missing at the end.
        var readers = Enumerable.Range(0, partitions).Select(partition => Task.Run(async () =>
        {
            long last = 0;
            var draining = false;
            while (true)
            {
                var records = await Log.ReadAsync(partition, last, 200);
                foreach (var record in records)
                {
                    if (record.Offset <= last)
                    {
                        failures.Enqueue($"partition {partition}: offset {record.Offset} after {last}");
                    }

                    last = record.Offset;
                    seen.AddOrUpdate(Text(record), 1, (_, n) => n + 1);
                }

                if (records.Count == 0)
                {
                    if (draining)
                    {
                        return;
                    }

                    draining = stop.IsCancellationRequested;
                    await Task.Delay(1);
                }
            }
        })).ToArray();

        var producers = Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            var writer = writers[t % writers.Count];
            for (var i = 0; i < appendsPerTask; i++)
            {
                // 1 to 4 records over 1 or 2 partitions, so appends overlap in partitions both ways.
                var records = Enumerable.Range(0, 1 + ((t + i) % 4))
                    .Select(j => Entry((t + i + (j % 2)) % partitions, $"s{t}", $"t{t}-i{i}-j{j}"))
                    .ToArray();
                await writer.AppendAsync(records);
                foreach (var record in records)
                {
                    appended.Add(Encoding.UTF8.GetString(record.Payload.Span));
                }
            }
        })).ToArray();

        await Task.WhenAll(producers);
        await stop.CancelAsync();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Empty(failures);
        Assert.Equal(appended.Order(StringComparer.Ordinal), seen.Keys.Order(StringComparer.Ordinal));
        Assert.All(seen.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task A_checkpoint_starts_at_zero_and_only_moves_forward_per_partition()
    {
        Assert.Equal(0, await Log.GetCheckpointAsync(5));

        await Log.SetCheckpointAsync(5, 10);
        await Log.SetCheckpointAsync(5, 4);
        Assert.Equal(10, await Log.GetCheckpointAsync(5));

        await Log.SetCheckpointAsync(5, 20);
        await Log.SetCheckpointAsync(6, 3);
        Assert.Equal(20, await Log.GetCheckpointAsync(5));
        Assert.Equal(3, await Log.GetCheckpointAsync(6));

        var reopened = await ReopenAsync();
        Assert.Equal(20, await reopened.GetCheckpointAsync(5));
    }

    [Fact]
    public async Task Concurrent_checkpoints_keep_the_greatest()
    {
        var offsets = Enumerable.Range(1, 200).OrderBy(_ => Random.Shared.Next()).ToArray();
        await Task.WhenAll(offsets.Select(offset => Task.Run(() => Log.SetCheckpointAsync(7, offset))));
        Assert.Equal(200, await Log.GetCheckpointAsync(7));
    }

    [Fact]
    public async Task A_checkpoint_trims_the_partition_at_and_below_it_and_leaves_the_others()
    {
        await Log.AppendAsync([.. Enumerable.Range(0, 6).Select(i => Entry(0, "k", $"p{i}")), Entry(1, "k", "other")]);
        var records = await Log.ReadAsync(0, 0, 100);

        await Log.SetCheckpointAsync(0, records[2].Offset);

        Assert.Equal(["p3", "p4", "p5"], (await Log.ReadAsync(0, 0, 100)).Select(Text));
        Assert.Equal(["other"], (await Log.ReadAsync(1, 0, 100)).Select(Text));

        await Log.SetCheckpointAsync(0, records[1].Offset); // lower: neither moves back nor un-trims
        Assert.Equal(["p3", "p4", "p5"], (await Log.ReadAsync(0, 0, 100)).Select(Text));
    }

    [Fact]
    public async Task Offsets_are_never_reused_after_the_log_was_trimmed_empty_and_reopened()
    {
        await Log.AppendAsync([Entry(0, "k", "first"), Entry(0, "k", "second")]);
        var last = (await Log.ReadAsync(0, 0, 10))[^1].Offset;
        await Log.SetCheckpointAsync(0, last);
        Assert.Empty(await Log.ReadAsync(0, 0, 10));

        var reopened = await ReopenAsync();
        await reopened.AppendAsync([Entry(0, "k", "third")]);

        var third = Assert.Single(await reopened.ReadAsync(0, 0, 10));
        Assert.True(third.Offset > last, $"offset {third.Offset} after {last}");
        Assert.Single(await reopened.ReadAsync(0, await reopened.GetCheckpointAsync(0), 10));
    }

    public static TheoryData<string> MalformedCases => [.. Malformed.Keys];

    private static readonly Dictionary<string, (Type Expected, Func<IDurableLog, Task> Call)> Malformed = new()
    {
        ["append null records"] = (typeof(ArgumentNullException), log => log.AppendAsync(null!)),
        ["append a negative partition"] = (typeof(ArgumentOutOfRangeException), log => log.AppendAsync([Entry(0, "k", "good"), Entry(-1, "k", "bad")])),
        ["append a stream without key"] = (typeof(ArgumentException), log => log.AppendAsync([Entry(0, "k", "good"), new LogRecord(0, default, new byte[] { 1 })])),
        ["append with a cancelled token"] = (typeof(OperationCanceledException), log => log.AppendAsync([Entry(0, "k", "good")], new CancellationToken(canceled: true))),
        ["read a negative partition"] = (typeof(ArgumentOutOfRangeException), log => log.ReadAsync(-1, 0, 10)),
        ["read zero records"] = (typeof(ArgumentOutOfRangeException), log => log.ReadAsync(0, 0, 0)),
        ["read a negative count"] = (typeof(ArgumentOutOfRangeException), log => log.ReadAsync(0, 0, -5)),
        ["checkpoint of a negative partition"] = (typeof(ArgumentOutOfRangeException), log => log.GetCheckpointAsync(-1)),
        ["set the checkpoint of a negative partition"] = (typeof(ArgumentOutOfRangeException), log => log.SetCheckpointAsync(-1, 5)),
        ["set a negative checkpoint"] = (typeof(ArgumentOutOfRangeException), log => log.SetCheckpointAsync(0, -1)),
    };

    [Theory]
    [MemberData(nameof(MalformedCases))]
    public async Task Malformed_input_is_refused_and_changes_nothing(string name)
    {
        var (expected, call) = Malformed[name];

        var exception = await Record.ExceptionAsync(() => call(Log));

        Assert.NotNull(exception);
        Assert.IsAssignableFrom(expected, exception);
        Assert.Empty(await Log.ReadAsync(0, 0, 10));
        Assert.Equal(0, await Log.GetCheckpointAsync(0));
    }
}

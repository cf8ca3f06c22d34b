using Grains.Monitoring.Outcomes;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// <see cref="IOutcomeStore"/> in the <c>outcomes_hourly</c> and <c>outcome_batches</c> tables, over a
/// backend's <see cref="StoreCommands"/>. A batch is one transaction: its id first (a retried batch
/// changes nothing), then its counts in key order (silos flushing the same hours lock rows in one
/// order and do not deadlock), then the pruning of old ids.
/// </summary>
public abstract class RelationalOutcomeStore : IOutcomeStore
{
    private readonly StoreCommands _commands;
    private readonly TimeProvider _time;

    protected RelationalOutcomeStore(StoreCommands commands, TimeProvider? time)
    {
        ArgumentNullException.ThrowIfNull(commands);
        _commands = commands;
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public async Task<bool> WriteAsync(OutcomeBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var now = _time.GetUtcNow();
        var statements = new List<SqlStatement>(batch.Rows.Count + 2) { OutcomeSql.Batch(batch.Id, now) };
        foreach (var row in OutcomeSql.InKeyOrder(batch.Rows))
        {
            statements.Add(OutcomeSql.Counts(row));
        }

        statements.Add(OutcomeSql.Prune(now));
        var counts = await _commands.WriteAsync("outcomes.write", statements, guarded: true, cancellationToken).ConfigureAwait(false);
        return counts[0] > 0;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<OutcomeRow>> ReadAsync(long? organizationId, long fromHour, long toHour, CancellationToken cancellationToken = default) =>
        await _commands.QueryAsync(OutcomeSql.Select(organizationId, fromHour, toHour), OutcomeSql.Read, cancellationToken).ConfigureAwait(false);
}

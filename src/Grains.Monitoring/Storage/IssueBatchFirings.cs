using Grains.Monitoring.Alerts;
using Grains.Monitoring.Storage.Relational;

namespace Grains.Monitoring.Storage;

/// <summary>
/// The alert firings an issue batch decided, written into the outbox (<c>alert_firings</c>) by the batch's
/// own commit (<see cref="IIssueBatchStore.CommitAsync"/>): a firing is stored exactly when its event and
/// the state that decided it are (docs/decisions/0009-alerts-exactly-once.md).
/// </summary>
/// <param name="Firings">The firings, each with its id derived from the issue, the event's offset and the rule.</param>
/// <param name="RecordedAt">When the batch recorded them (the outbox's order of expansion).</param>
public sealed record IssueBatchFirings(IReadOnlyList<AlertFiring> Firings, DateTimeOffset RecordedAt)
{
    /// <summary>The outbox inserts (<see cref="AlertOutboxSql.Firings"/>): a firing already stored is left as it is.</summary>
    public IEnumerable<SqlStatement> Statements() => AlertOutboxSql.Firings(Firings, RecordedAt);
}

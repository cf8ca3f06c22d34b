namespace Grains.Monitoring.Outcomes;

/// <summary>
/// Counts to add to the stored outcomes, once: the store writes <see cref="Id"/> in the same
/// transaction as the counts, and a batch whose id is already there is skipped (a flush retried
/// after a timeout whose transaction did commit adds nothing twice).
/// </summary>
public sealed record OutcomeBatch(Guid Id, IReadOnlyList<OutcomeRow> Rows);

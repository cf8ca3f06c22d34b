namespace Grains.Monitoring.Outcomes;

/// <summary>The hourly outcome counts (tables <c>outcomes_hourly</c> and <c>outcome_batches</c>).</summary>
public interface IOutcomeStore
{
    /// <summary>
    /// Adds <paramref name="batch"/>'s counts in one transaction with its id; returns <c>false</c>,
    /// changing nothing, when a batch with that id was already written.
    /// </summary>
    Task<bool> WriteAsync(OutcomeBatch batch, CancellationToken cancellationToken = default);

    /// <summary>
    /// The counts of hours in [<paramref name="fromHour"/>, <paramref name="toHour"/>) (unix seconds),
    /// of one organization or (<c>null</c>) all, summed over DSN keys (<see cref="OutcomeRow.PublicKey"/> is null).
    /// </summary>
    Task<IReadOnlyList<OutcomeRow>> ReadAsync(long? organizationId, long fromHour, long toHour, CancellationToken cancellationToken = default);
}

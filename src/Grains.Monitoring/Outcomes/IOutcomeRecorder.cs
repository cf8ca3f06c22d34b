namespace Grains.Monitoring.Outcomes;

/// <summary>
/// Counts outcomes. Called on the ingest hot path, so it never blocks and never throws for a
/// well-formed outcome: implementations aggregate in memory and write in batches.
/// </summary>
public interface IOutcomeRecorder
{
    void Record(in OutcomeEvent outcome);
}

namespace Grains.Monitoring.Issues.Workflow;

/// <summary>
/// An issue's event and distinct-user counts in time windows, kept by the issue grain in its state
/// (bounded; the grain's implementation documents its scheme). Snoozes with a window and the frequency conditions of
/// alert rules read it in the issue's turn.
/// </summary>
public interface IIssueRates
{
    /// <summary>Applied events whose event timestamp (clamped to the received time) falls in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    long EventsBetween(DateTimeOffset from, DateTimeOffset to);

    /// <summary>Distinct users among those events (exact for small counts; the implementation documents where it estimates).</summary>
    long UsersBetween(DateTimeOffset from, DateTimeOffset to);
}

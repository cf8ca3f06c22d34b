namespace Grains.Monitoring.Filters;

/// <summary>One of Relay's inbound filters, compiled from a project's options.</summary>
public interface IInboundFilter
{
    /// <summary>The outcome reason when this filter drops an event (<see cref="FilterReasons"/>).</summary>
    string Reason { get; }

    bool Matches(FilterEvent e);
}

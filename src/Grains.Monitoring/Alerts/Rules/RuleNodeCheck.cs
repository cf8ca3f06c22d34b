namespace Grains.Monitoring.Alerts.Rules;

/// <summary>What node validation needs to know about the project.</summary>
/// <param name="EnabledServices">The project's enabled and configured legacy notification plugins (the choices of <c>NotifyEventServiceAction.service</c>).</param>
public sealed record RuleNodeCheck(IReadOnlyCollection<string> EnabledServices);

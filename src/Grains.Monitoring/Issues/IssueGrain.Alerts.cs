using System.Diagnostics;
using Grains.Monitoring.Alerts;
using Grains.Monitoring.Alerts.Evaluation;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Issues.Workflow;
using Grains.Monitoring.Releases;
using Grains.Monitoring.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Grains.Monitoring.Issues;

/// <summary>
/// Alert rules in the issue's turn (reference §3.2): each applied event whose issue is unresolved after
/// the workflow's transition is evaluated against the project's rules (from the silo's
/// <see cref="ProjectRuleCache"/>), and the batch's firings are written into the outbox by the batch's own
/// commit (<see cref="Storage.IssueBatchWrite.Firings"/>), with its events and the state with the offset
/// (step (3) of the crash order in the class remarks); then the <see cref="IAlertOutbox"/> wakes the
/// deliverers. Everything a decision reads is in that state (throttle times, environments, counts) or
/// derived from the event (received time), so a batch whose commit did not happen is redelivered from the
/// same stored state and fires the same rules with the same firing ids. So a firing is stored exactly when
/// its event is (docs/decisions/0009), and a stale activation whose commit fails leaves none.
/// </summary>
public sealed partial class IssueGrain
{
    /// <summary>Loads what the batch's evaluations need; null when the project has no active rules (one dictionary lookup).</summary>
    private async ValueTask<BatchAlerts?> BeginAlertsAsync(IssueState s)
    {
        if (services.GetService<ProjectRuleCache>() is not { } cache)
        {
            return null;
        }

        var rules = await cache.GetAsync(s.ProjectId);
        if (rules.Count == 0)
        {
            return null;
        }

        ReleaseOrder? releaseOrder = null;
        if (rules.Any(r => r.NeedsLatestRelease) && services.GetService<ILatestReleaseProvider>() is { } releases)
        {
            releaseOrder = await releases.ReleaseOrderAsync(s.ProjectId);
        }

        return new BatchAlerts(rules, releaseOrder, RuleInstruments.Source.StartActivity(RuleInstruments.EvaluateBatch));
    }

    /// <summary>Evaluates one applied event, right after it was applied (the state then describes the issue as of this event).</summary>
    private void EvaluateAlerts(BatchAlerts? alerts, IssueState s, FreshEvent e, IssueTransition transition)
    {
        var newInEnvironment = IssueAlerts.NoteEnvironment(s.Environments, e.Facts.Environment);
        if (alerts is null || !transition.IsUnresolved)
        {
            return;
        }

        var context = new RuleEvaluationContext
        {
            Event = e.Facts,
            EventJson = e.JsonView(),
            Transition = transition,
            IssueFirstSeen = s.FirstSeen,
            IssueTimesSeen = s.TimesSeen,
            Rates = s.Rates,
            LatestRelease = alerts.ReleaseOrder is { } order ? ILatestReleaseProvider.LatestAsOf(order, e.Facts.Release) : null,
            IsNewInEnvironment = newInEnvironment,
        };
        foreach (var fired in RuleEvaluator.Evaluate(alerts.Rules, context, s.RuleLastFired))
        {
            var rule = fired.Rule.Rule;
            IssueAlerts.NoteFired(s.RuleLastFired, rule.Id, e.Facts.Received);
            var firing = new AlertFiring(
                IssueAlerts.FiringId(this.GetPrimaryKeyString(), e.Offset, rule.Id),
                s.ProjectId,
                s.Id,
                rule.Id,
                rule.Label,
                e.Facts.EventId,
                e.Facts.Received,
                rule.ActionsJson,
                fired.Reasons);
            alerts.Firings.Add(firing);
            RuleInstruments.Fired.Add(1, new KeyValuePair<string, object?>("rule_id", rule.Id));
            LogRuleFired(s.ProjectId, s.Id, rule.Id, e.Facts.EventId, firing.Id, string.Join(',', fired.Reasons));
        }
    }

    /// <summary>The batch's firings for its commit (closing the evaluation span); null when there are none, or no outbox to deliver them.</summary>
    private IssueBatchFirings? CommitFirings(BatchAlerts? alerts)
    {
        if (alerts is null)
        {
            return null;
        }

        using var span = alerts.Span;
        span?.SetTag("grains.alerts.firings", alerts.Firings.Count);
        if (alerts.Firings.Count == 0)
        {
            return null;
        }

        if (services.GetService<IAlertOutbox>() is null)
        {
            LogNoOutbox(alerts.Firings.Count);
            return null;
        }

        return new IssueBatchFirings(alerts.Firings, Now);
    }

    /// <summary>Wakes the deliverers of a committed batch's firings.</summary>
    private async Task FiringsCommittedAsync(IssueBatchFirings? firings)
    {
        if (firings is not null && services.GetService<IAlertOutbox>() is { } outbox)
        {
            await outbox.CommittedAsync(firings.Firings);
        }
    }

    [LoggerMessage(20, LogLevel.Information, "Alert rule {RuleId} fired for issue {IssueId} of project {ProjectId} (event {EventId}, firing {FiringId}, reasons {Reasons})")]
    private partial void LogRuleFired(long projectId, long issueId, long ruleId, string eventId, string firingId, string reasons);

    [LoggerMessage(21, LogLevel.Warning, "{Count} alert firings were not recorded: no alert outbox is registered")]
    private partial void LogNoOutbox(int count);

    /// <summary>A batch's rules and the firings decided so far.</summary>
    private sealed class BatchAlerts(IReadOnlyList<CompiledRule> rules, ReleaseOrder? releaseOrder, Activity? span)
    {
        public IReadOnlyList<CompiledRule> Rules { get; } = rules;

        /// <summary>The project's stored releases, when a rule has the latest-release filter.</summary>
        public ReleaseOrder? ReleaseOrder { get; } = releaseOrder;

        public Activity? Span { get; } = span;

        public List<AlertFiring> Firings { get; } = [];
    }
}

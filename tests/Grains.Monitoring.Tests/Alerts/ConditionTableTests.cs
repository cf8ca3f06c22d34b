using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Issues.Workflow;
using static Grains.Monitoring.Tests.Alerts.RuleEvaluationFixtures;

namespace Grains.Monitoring.Tests.Alerts;

/// <summary>Each condition of reference §3.1 against what the event did to the issue and the issue's counts.</summary>
public sealed class ConditionTableTests
{
    [Theory]
    // condition, isNew, isRegression, hasReappeared, fires
    [InlineData(RuleNodeIds.FirstSeen, true, false, false, true)]
    [InlineData(RuleNodeIds.FirstSeen, false, false, false, false)]
    [InlineData(RuleNodeIds.FirstSeen, false, true, false, false)]
    [InlineData(RuleNodeIds.Regression, false, true, false, true)]
    [InlineData(RuleNodeIds.Regression, true, false, false, false)]
    [InlineData(RuleNodeIds.Regression, false, false, true, false)]
    [InlineData(RuleNodeIds.Reappeared, false, false, true, true)]
    [InlineData(RuleNodeIds.Reappeared, false, true, false, false)]
    [InlineData(RuleNodeIds.Reappeared, false, false, false, false)]
    public void Transition_conditions_follow_the_issue_transition(string condition, bool isNew, bool isRegression, bool hasReappeared, bool fires)
    {
        var context = Context(transition: new IssueTransition(isNew, isRegression, hasReappeared));

        Assert.Equal(fires, Fires(Rule([Node(condition)]), context));
    }

    [Theory]
    // A rule with an environment: first seen means the issue's first event in that environment (Sentry's is_new_group_environment).
    [InlineData(true, true, true)]
    [InlineData(true, false, false)]
    [InlineData(false, true, true)]
    [InlineData(false, false, false)]
    public void First_seen_with_an_environment_is_the_first_event_in_that_environment(bool isNew, bool newInEnvironment, bool fires)
    {
        var context = Context(transition: new IssueTransition(isNew, false, false), newInEnvironment: newInEnvironment);

        Assert.Equal(fires, Fires(Rule([Node(RuleNodeIds.FirstSeen)], environment: "production"), context));
    }

    [Fact]
    public void The_reasons_name_the_conditions_that_held()
    {
        var rule = Rule([Node(RuleNodeIds.FirstSeen), Node(RuleNodeIds.Regression), Node(RuleNodeIds.EventFrequency, ("value", 0), ("interval", "1h"))], actionMatch: "any");
        var context = Context(transition: new IssueTransition(true, false, false), rates: new FakeRates((Now, null)));

        var firing = Assert.Single(Alerts.Evaluate(rule, context));

        Assert.Equal(["first_seen"], firing.Reasons);
    }

    [Theory]
    // value, interval, event offsets in minutes before now (0 = this event), fires (count strictly above value)
    [InlineData(2, "1h", new[] { 0, 10, 59 }, true)]
    [InlineData(3, "1h", new[] { 0, 10, 59 }, false)]
    [InlineData(2, "1h", new[] { 0, 10, 61 }, false)]
    [InlineData(0, "1m", new[] { 0 }, true)]
    [InlineData(1, "1m", new[] { 0, 2 }, false)]
    [InlineData(1, "5m", new[] { 0, 2 }, true)]
    [InlineData(2, "15m", new[] { 0, 5, 14 }, true)]
    [InlineData(2, "1d", new[] { 0, 600, 1439 }, true)]
    [InlineData(2, "1d", new[] { 0, 600, 1441 }, false)]
    [InlineData(2, "1w", new[] { 0, 5000, 10000 }, true)]
    [InlineData(2, "30d", new[] { 0, 20000, 43000 }, true)]
    [InlineData(2, "30d", new[] { 0, 20000, 43300 }, false)]
    public void Event_frequency_counts_events_in_the_interval_ending_with_this_event(int value, string interval, int[] minutesAgo, bool fires)
    {
        var rates = new FakeRates([.. minutesAgo.Select(m => (Now.AddMinutes(-m), (string?)null))]);
        var rule = Rule([Node(RuleNodeIds.EventFrequency, ("value", value), ("interval", interval), ("comparisonType", "count"))]);

        Assert.Equal(fires, Fires(rule, Context(rates: rates)));
    }

    [Theory]
    // value, users of the events in the last hour, fires
    [InlineData(1, new[] { "a", "b" }, true)]
    [InlineData(2, new[] { "a", "b", "a" }, false)]
    [InlineData(2, new[] { "a", "b", "c" }, true)]
    [InlineData(0, new string[0], false)]
    public void Unique_user_frequency_counts_distinct_users(int value, string[] users, bool fires)
    {
        var rates = new FakeRates([.. users.Select((u, i) => (Now.AddMinutes(-i), (string?)u))]);
        var rule = Rule([Node(RuleNodeIds.EventUniqueUserFrequency, ("value", value), ("interval", "1h"))]);

        Assert.Equal(fires, Fires(rule, Context(rates: rates)));
    }

    [Theory]
    // value (percent), events in the last hour, events in the hour one week earlier, fires (increase strictly above value)
    [InlineData(50, 4, 2, true)]
    [InlineData(100, 4, 2, false)]
    [InlineData(99, 4, 2, true)]
    [InlineData(0, 2, 2, false)]
    [InlineData(0, 5, 0, false)]
    [InlineData(10, 1, 4, false)]
    public void Percent_change_compares_with_the_same_window_earlier(int value, int current, int previous, bool fires)
    {
        var week = TimeSpan.FromDays(7);
        var events = Enumerable.Range(0, current).Select(i => (Now.AddMinutes(-i), (string?)null))
            .Concat(Enumerable.Range(0, previous).Select(i => (Now - week - TimeSpan.FromMinutes(i), (string?)null)));
        var rule = Rule([Node(RuleNodeIds.EventFrequency, ("value", value), ("interval", "1h"), ("comparisonType", "percent"), ("comparisonInterval", "1w"))]);

        Assert.Equal(fires, Fires(rule, Context(rates: new FakeRates([.. events]))));
    }

    [Fact]
    public void Unique_user_percent_change_compares_distinct_users()
    {
        var events = new[] { (Now, (string?)"a"), (Now.AddMinutes(-1), "b"), (Now.AddMinutes(-2), "c"), (Now.AddDays(-1), "a") };
        var rule = Rule([Node(RuleNodeIds.EventUniqueUserFrequency, ("value", 150), ("interval", "1h"), ("comparisonType", "percent"), ("comparisonInterval", "1d"))]);

        Assert.True(Fires(rule, Context(rates: new FakeRates(events))));
    }

    [Fact]
    public void On_the_first_event_a_count_condition_is_not_met_without_reading_counts()
    {
        var rates = new FakeRates((Now, "a"));
        var context = Context(transition: new IssueTransition(true, false, false), rates: rates, timesSeen: 1);

        Assert.False(Fires(Rule([Node(RuleNodeIds.EventFrequency, ("value", 1), ("interval", "1h"))]), context));
        Assert.False(Fires(Rule([Node(RuleNodeIds.EventUniqueUserFrequency, ("value", 3), ("interval", "1h"))]), context));
        Assert.Equal(0, rates.Reads);

        // A threshold of 0 can be passed by the first event.
        Assert.True(Fires(Rule([Node(RuleNodeIds.EventFrequency, ("value", 0), ("interval", "1h"))]), context));
    }

    [Theory]
    [InlineData("5m")]
    [InlineData("1h")]
    public void Percent_of_sessions_is_accepted_but_never_met(string interval)
    {
        var rates = new FakeRates([.. Enumerable.Range(0, 1000).Select(i => (Now.AddSeconds(-i), (string?)null))]);
        var rule = Rule([Node(RuleNodeIds.EventFrequencyPercent, ("value", 0.1), ("interval", interval))]);

        Assert.False(Fires(rule, Context(rates: rates)));
    }

    [Fact]
    public void String_values_as_the_ui_sends_them_work_like_numbers()
    {
        var rates = new FakeRates((Now, null), (Now.AddMinutes(-1), null));
        var rule = Rule([Node(RuleNodeIds.EventFrequency, ("value", "1"), ("interval", "1h"))]);

        Assert.True(Fires(rule, Context(rates: rates)));
    }

    [Fact]
    public void An_unknown_stored_node_silences_its_rule_instead_of_failing()
    {
        var rule = Rule([Node("sentry.rules.conditions.gone.GoneCondition")], actionMatch: "any");

        Assert.False(Fires(rule, Context(transition: new IssueTransition(true, false, false))));
    }

    private static class Alerts
    {
        public static IReadOnlyList<Grains.Monitoring.Alerts.Evaluation.RuleFiring> Evaluate(Grains.Monitoring.Alerts.Evaluation.CompiledRule rule, Grains.Monitoring.Alerts.Evaluation.RuleEvaluationContext context) =>
            Grains.Monitoring.Alerts.Evaluation.RuleEvaluator.Evaluate([rule], context, new Dictionary<long, DateTimeOffset>());
    }

}

using Grains.Monitoring.Alerts.Evaluation;
using Grains.Monitoring.Alerts.Rules;
using Grains.Monitoring.Issues.Workflow;
using static Grains.Monitoring.Tests.Alerts.RuleEvaluationFixtures;

namespace Grains.Monitoring.Tests.Alerts;

/// <summary>Match modes, the throttle, environments and status: reference §3.2.</summary>
public sealed class RuleEvaluatorTests
{
    private static readonly IssueTransition Regressed = new(false, true, false);

    [Theory]
    // actionMatch, first seen holds, regression holds, fires
    [InlineData("all", true, true, true)]
    [InlineData("all", true, false, false)]
    [InlineData("any", true, false, true)]
    [InlineData("any", false, false, false)]
    [InlineData("none", false, false, true)]
    [InlineData("none", true, false, false)]
    public void Action_match_combines_conditions(string match, bool isNew, bool isRegression, bool fires)
    {
        var rule = Rule([Node(RuleNodeIds.FirstSeen), Node(RuleNodeIds.Regression)], actionMatch: match);

        Assert.Equal(fires, Fires(rule, Context(transition: new IssueTransition(isNew, isRegression, false))));
    }

    [Theory]
    // filterMatch, level filter passes, occurrences filter passes, fires
    [InlineData("all", true, true, true)]
    [InlineData("all", true, false, false)]
    [InlineData("any", false, true, true)]
    [InlineData("any", false, false, false)]
    [InlineData("none", false, false, true)]
    [InlineData("none", false, true, false)]
    public void Filter_match_combines_filters(string match, bool levelPasses, bool occurrencesPass, bool fires)
    {
        var rule = Rule(
            [Node(RuleNodeIds.Regression)],
            [Node(RuleNodeIds.Level, ("match", "eq"), ("level", levelPasses ? "40" : "50")), Node(RuleNodeIds.IssueOccurrences, ("value", occurrencesPass ? 1 : 100))],
            filterMatch: match);

        Assert.Equal(fires, Fires(rule, Context(transition: Regressed)));
    }

    [Theory]
    [InlineData("all", true)]
    [InlineData("any", false)]
    [InlineData("none", true)]
    public void Empty_lists_combine_as_sentry_does(string match, bool fires)
    {
        Assert.Equal(fires, Fires(Rule([], actionMatch: match), Context()));
        Assert.Equal(fires, Fires(Rule([], filterMatch: match), Context()));
    }

    [Theory]
    // frequency minutes, minutes since the rule last fired for this issue (null: never), fires
    [InlineData(30, null, true)]
    [InlineData(30, 10, false)]
    [InlineData(30, 30, false)]
    [InlineData(30, 31, true)]
    [InlineData(5, 6, true)]
    [InlineData(1440, 1439, false)]
    [InlineData(43200, 43201, true)]
    public void The_throttle_holds_a_rule_per_issue_for_its_frequency(int frequency, int? lastFiredMinutesAgo, bool fires)
    {
        var rule = Rule([Node(RuleNodeIds.Regression)], frequency: frequency, id: 7);
        var lastFired = new Dictionary<long, DateTimeOffset>();
        if (lastFiredMinutesAgo is { } ago)
        {
            lastFired[7] = Now.AddMinutes(-ago);
            lastFired[8] = Now; // another rule's time does not matter
        }

        Assert.Equal(fires, RuleEvaluator.Evaluate([rule], Context(transition: Regressed), lastFired).Count == 1);
    }

    [Theory]
    // rule environment, event environment, fires
    [InlineData(null, "production", true)]
    [InlineData(null, null, true)]
    [InlineData("production", "production", true)]
    [InlineData("production", "staging", false)]
    [InlineData("production", null, false)]
    [InlineData("Production", "production", false)]
    public void The_rule_environment_must_match_the_event(string? ruleEnvironment, string? eventEnvironment, bool fires)
    {
        var rule = Rule([Node(RuleNodeIds.Regression)], environment: ruleEnvironment);

        Assert.Equal(fires, Fires(rule, Context(Event(environment: eventEnvironment), transition: Regressed)));
    }

    [Theory]
    [InlineData("resolved")]
    [InlineData("ignored")]
    public void Nothing_fires_for_an_issue_that_is_not_unresolved_after_the_event(string status)
    {
        var rule = Rule([Node(RuleNodeIds.FirstSeen)]);

        Assert.False(Fires(rule, Context(transition: new IssueTransition(true, false, false, status))));
    }

    [Fact]
    public void A_disabled_rule_does_not_fire()
    {
        Assert.False(Fires(Rule([Node(RuleNodeIds.Regression)], status: RuleStatus.Disabled), Context(transition: Regressed)));
    }

    [Fact]
    public void Several_rules_fire_in_order_and_others_do_not()
    {
        var rules = new[]
        {
            Rule([Node(RuleNodeIds.Regression)], id: 3),
            Rule([Node(RuleNodeIds.FirstSeen)], id: 2),
            Rule([Node(RuleNodeIds.Regression)], [Node(RuleNodeIds.Level, ("match", "eq"), ("level", "40"))], id: 1),
        };

        var fired = RuleEvaluator.Evaluate(rules, Context(transition: Regressed), new Dictionary<long, DateTimeOffset>());

        Assert.Equal([3L, 1L], fired.Select(f => f.Rule.Id));
        Assert.All(fired, f => Assert.Equal(["regression"], f.Reasons));
    }

    [Fact]
    public void No_rules_cost_no_evaluation()
    {
        var rates = new FakeRates((Now, "a"));

        Assert.Empty(RuleEvaluator.Evaluate([], Context(rates: rates), new Dictionary<long, DateTimeOffset>()));
        Assert.Equal(0, rates.Reads);
    }
}

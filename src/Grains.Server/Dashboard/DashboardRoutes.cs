namespace Grains.Server.Dashboard;

/// <summary>
/// The dashboard's addresses, in one place: pages link with these and tests request them. They follow
/// Sentry's web paths where Sentry has the page (<c>/organizations/{org}/issues/</c>, <c>/settings/…</c>).
/// </summary>
public static class DashboardRoutes
{
    /// <summary>The organization and project the first start seeds.</summary>
    public const string DefaultSlug = "default";

    /// <summary>The sign-in page (a plain HTTP form; <c>?next=</c> is where to go afterwards).</summary>
    public const string SignIn = "/auth/login/";

    /// <summary>Where the sign-out form posts.</summary>
    public const string SignOut = "/auth/logout/";

    /// <summary>The signed-in user's own settings (password).</summary>
    public const string Account = "/settings/account/";

    /// <summary>The signed-in user's personal API tokens.</summary>
    public const string ApiTokens = "/settings/account/api/auth-tokens/";

    /// <summary>The issue stream of an organization (every project, or <c>?project=ID</c>).</summary>
    public static string Issues(string org) => $"/organizations/{Escape(org)}/issues/";

    /// <summary>One issue.</summary>
    public static string Issue(string org, long issueId) => $"/organizations/{Escape(org)}/issues/{issueId}/";

    /// <summary>One event of an issue.</summary>
    public static string IssueEvent(string org, long issueId, string eventId) => $"/organizations/{Escape(org)}/issues/{issueId}/events/{Escape(eventId)}/";

    /// <summary>The organization's usage stats (accepted, filtered, rate limited).</summary>
    public static string Stats(string org) => $"/organizations/{Escape(org)}/stats/";

    /// <summary>The organization's members and their roles.</summary>
    public static string Members(string org) => $"/settings/{Escape(org)}/members/";

    /// <summary>A project's DSN keys.</summary>
    public static string ProjectKeys(string org, string project) => $"/settings/{Escape(org)}/projects/{Escape(project)}/keys/";

    /// <summary>A project's inbound filters.</summary>
    public static string ProjectFilters(string org, string project) => $"/settings/{Escape(org)}/projects/{Escape(project)}/filters/";

    /// <summary>A project's spike protection.</summary>
    public static string ProjectSpikeProtection(string org, string project) => $"/settings/{Escape(org)}/projects/{Escape(project)}/spike-protection/";

    /// <summary>A project's alert rules.</summary>
    public static string AlertRules(string org, string project) => $"/organizations/{Escape(org)}/alerts/rules/?project={Escape(project)}";

    /// <summary>A new alert rule for a project.</summary>
    public static string NewAlertRule(string org, string project) => $"/organizations/{Escape(org)}/alerts/{Escape(project)}/new/";

    /// <summary>An alert rule of a project.</summary>
    public static string AlertRule(string org, string project, long ruleId) => $"/organizations/{Escape(org)}/alerts/rules/{Escape(project)}/{ruleId}/";

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}

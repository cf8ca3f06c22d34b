using System.Security.Cryptography;
using System.Text;

namespace Grains.Monitoring.Alerts.Evaluation;

/// <summary>The issue grain's alert bookkeeping that is pure: firing ids, the environments seen, pruning the throttle times.</summary>
public static class IssueAlerts
{
    /// <summary>Environments remembered per issue; beyond it a new environment is not "first seen" (bounded state against a flood of environment names).</summary>
    public const int MaxEnvironments = 100;

    /// <summary>Throttle times older than the longest frequency (30 days) cannot hold anything back and are dropped.</summary>
    public static readonly TimeSpan LastFiredRetention = TimeSpan.FromMinutes(Rules.RuleValidator.MaxFrequency);

    /// <summary>The firing id: the first 32 hex digits of SHA-256 of <c>"{issueGrainKey}:{streamOffset}:{ruleId}"</c>.</summary>
    public static string FiringId(string issueGrainKey, long streamOffset, long ruleId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(FormattableString.Invariant($"{issueGrainKey}:{streamOffset}:{ruleId}")));
        return Convert.ToHexStringLower(hash)[..32];
    }

    /// <summary>Notes the event's environment; true when the issue had not seen it (an event without one is never new in one).</summary>
    public static bool NoteEnvironment(HashSet<string> seen, string? environment)
    {
        ArgumentNullException.ThrowIfNull(seen);
        if (string.IsNullOrEmpty(environment) || seen.Contains(environment) || seen.Count >= MaxEnvironments)
        {
            return false;
        }

        seen.Add(environment);
        return true;
    }

    /// <summary>Records a firing's time and drops times too old to throttle anything.</summary>
    public static void NoteFired(Dictionary<long, DateTimeOffset> lastFired, long ruleId, DateTimeOffset received)
    {
        ArgumentNullException.ThrowIfNull(lastFired);
        lastFired[ruleId] = received;
        foreach (var (id, at) in lastFired)
        {
            if (at < received - LastFiredRetention)
            {
                lastFired.Remove(id);
            }
        }
    }
}

using Grains.Monitoring.Filters;

namespace Grains.Monitoring.Projects.Options;

/// <summary><c>filters:error_messages</c>: message globs whose events are dropped (Sentry's <c>sentry:error_messages</c>, case kept; matching ignores case).</summary>
public sealed class ErrorMessagesFilterOption : NewlineListOption
{
    public static ErrorMessagesFilterOption Instance { get; } = new();

    public override string Key => "filters:error_messages";

    protected override bool LowerCase => false;

    protected override string? ValidateLine(string line) => GlobList.Validate(line);
}

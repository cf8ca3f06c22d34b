namespace Grains.AppHost.Tests.Support;

/// <summary>
/// The process-wide environment variables the AppHost's <see cref="LocalDashboard"/> sets when its entry
/// point runs (in the test process, with Aspire.Hosting.Testing), captured before and put back after, so
/// that a later AppHost picks its own dashboard ports and no child process inherits this one's.
/// </summary>
internal sealed class DashboardEnvironment : IDisposable
{
    private static readonly string[] Names = ["ASPNETCORE_URLS", "ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL", "ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", "ASPIRE_ALLOW_UNSECURED_TRANSPORT"];
    private readonly Dictionary<string, string?> _saved = Names.ToDictionary(n => n, Environment.GetEnvironmentVariable);

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}

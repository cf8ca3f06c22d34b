namespace Grains.AppHost;

/// <summary>
/// Plain HTTP on loopback for the Aspire dashboard and its OTLP endpoint, so that no development
/// certificate is needed, whether the AppHost runs with <c>dotnet run</c> or as <c>dotnet AppHost.dll</c>.
/// Values already set in the environment win.
/// </summary>
public static class LocalDashboard
{
    /// <summary>The dashboard's preferred port (the next free one is taken when it is in use).</summary>
    public const int DefaultPort = 18888;

    /// <summary>The OTLP/HTTP endpoint's preferred port.</summary>
    public const int DefaultOtlpPort = 18889;

    /// <summary>The environment variables Aspire reads for the dashboard, with their local values where unset.</summary>
    public static IReadOnlyDictionary<string, string> Defaults(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var defaults = new Dictionary<string, string>();
        if (string.IsNullOrEmpty(environment("ASPNETCORE_URLS")))
        {
            defaults["ASPNETCORE_URLS"] = $"http://127.0.0.1:{FreePorts.Pick(DefaultPort, 1)[0]}";
        }

        if (string.IsNullOrEmpty(environment("ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL")) && string.IsNullOrEmpty(environment("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL")))
        {
            var taken = defaults.TryGetValue("ASPNETCORE_URLS", out var url) ? new HashSet<int> { new Uri(url).Port } : null;
            defaults["ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL"] = $"http://127.0.0.1:{FreePorts.Pick(DefaultOtlpPort, 1, taken)[0]}";
        }

        if (string.IsNullOrEmpty(environment("ASPIRE_ALLOW_UNSECURED_TRANSPORT")))
        {
            defaults["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true";
        }

        return defaults;
    }

    /// <summary>Sets <see cref="Defaults"/> in this process's environment.</summary>
    public static void Apply()
    {
        foreach (var (name, value) in Defaults(Environment.GetEnvironmentVariable))
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}

using Microsoft.Extensions.Configuration.Memory;

namespace Grains.Server;

/// <summary>
/// The configuration defaults of every server, whatever its working directory: the lowest-priority
/// configuration source, below <c>appsettings.json</c> (read from the content root, which is the
/// working directory, so <c>dotnet path/to/Grains.Server.dll</c> run elsewhere, or the AppHost, never
/// finds it), the environment and the command line.
/// </summary>
public static class ServerDefaults
{
    /// <summary>
    /// The defaults: request logs (category <c>Microsoft.AspNetCore</c>, one line per request at
    /// Information) at Warning, Npgsql at Warning, Orleans at Warning (its Information level dumps every option and lifecycle stage at start), Polly at Warning (Orleans' placement pipeline logs two lines per activation), everything else at Information.
    /// <c>appsettings.json</c> carries the same values (a test keeps them equal).
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Values { get; } = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Npgsql"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    /// <summary>Adds <see cref="Values"/> as the first (lowest-priority) source of <paramref name="configuration"/>.</summary>
    public static void AddTo(IConfigurationBuilder configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Values });
    }
}

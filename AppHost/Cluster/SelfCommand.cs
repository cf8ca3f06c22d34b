using System.Reflection;

namespace Grains.AppHost.Cluster;

/// <summary>
/// How to start this program again (a silo is the AppHost without <c>--silos</c>): its own
/// executable, or <c>dotnet</c> with the entry assembly when it runs as <c>dotnet AppHost.dll</c>.
/// </summary>
public sealed record SelfCommand(string FileName, IReadOnlyList<string> Arguments)
{
    /// <summary>The command of the running program.</summary>
    public static SelfCommand Current() =>
        FromPaths(Environment.ProcessPath, Assembly.GetEntryAssembly()?.Location ?? typeof(SelfCommand).Assembly.Location);

    /// <summary>The command given the process path and the entry assembly's path.</summary>
    public static SelfCommand FromPaths(string? processPath, string entryAssembly)
    {
        if (string.IsNullOrEmpty(processPath))
        {
            return new SelfCommand("dotnet", [entryAssembly]);
        }

        var name = processPath[(processPath.LastIndexOfAny(['/', '\\']) + 1)..];
        return name.Equals("dotnet", StringComparison.OrdinalIgnoreCase) || name.Equals("dotnet.exe", StringComparison.OrdinalIgnoreCase)
            ? new SelfCommand(processPath, [entryAssembly])
            : new SelfCommand(processPath, []);
    }
}

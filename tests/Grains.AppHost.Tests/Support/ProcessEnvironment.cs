namespace Grains.AppHost.Tests.Support;

/// <summary>
/// The environment of other processes (Linux: <c>/proc/PID/environ</c>): what Aspire really handed a
/// silo, and which processes still carry a test's data directory after the app is gone.
/// </summary>
internal static class ProcessEnvironment
{
    /// <summary>The environment variables of <paramref name="pid"/>, or null when it is gone or unreadable.</summary>
    public static IReadOnlyDictionary<string, string>? Of(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/environ");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in text.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = entry.IndexOf('=');
            if (equals > 0)
            {
                variables[entry[..equals]] = entry[(equals + 1)..];
            }
        }

        return variables;
    }

    /// <summary>
    /// Live processes whose command line, working directory or environment mentions
    /// <paramref name="fragment"/> (a silo started by DCP names its data directory only in its environment).
    /// </summary>
    public static IReadOnlyList<int> Mentioning(string fragment)
    {
        var byCommandLine = ProcessTable.Using(fragment).ToHashSet();
        return ProcessIds()
            .Where(pid => byCommandLine.Contains(pid) || Of(pid)?.Values.Any(v => v.Contains(fragment, StringComparison.Ordinal)) == true)
            .Where(ProcessTable.IsAlive)
            .ToList();
    }

    /// <summary>Live processes whose environment has <paramref name="name"/> = <paramref name="value"/>.</summary>
    public static IReadOnlyList<int> WithVariable(string name, string value) =>
        ProcessIds().Where(pid => Of(pid) is { } environment && environment.TryGetValue(name, out var v) && v == value && ProcessTable.IsAlive(pid)).ToList();

    private static IEnumerable<int> ProcessIds() =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && pid != Environment.ProcessId);
}

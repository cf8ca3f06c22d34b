using System.Runtime.InteropServices;

namespace Grains.AppHost.Tests.Support;

/// <summary>What the tests ask of the operating system's process table (Linux: /proc).</summary>
internal static class ProcessTable
{
    public const int SigInt = 2;
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static bool IsAlive(int pid)
    {
        // A zombie (exited, not yet reaped) counts as gone.
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z";
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Process ids whose command line contains <paramref name="fragment"/> or whose working directory is in it.</summary>
    public static IReadOnlyList<int> Using(string fragment)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                var workingDirectory = new FileInfo(Path.Combine(directory, "cwd")).LinkTarget ?? "";
                if ((commandLine.Contains(fragment, StringComparison.Ordinal) || workingDirectory.StartsWith(fragment, StringComparison.Ordinal)) && IsAlive(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Exited while we looked.
            }
        }

        return found;
    }

    /// <summary>Process ids whose environment has <paramref name="name"/>=<paramref name="value"/> (children inherit it).</summary>
    public static IReadOnlyList<int> WithEnvironment(string name, string value)
    {
        var entry = $"{name}={value}";
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "environ")).Split('\0').Contains(entry) && IsAlive(pid))
                {
                    found.Add(pid);
                }
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Exited while we looked, or not ours to read.
            }
        }

        return found;
    }

    /// <summary>"pid: command line", for messages.</summary>
    public static string Describe(int pid)
    {
        try
        {
            return $"{pid}: {File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()}";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return $"{pid}: (gone)";
        }
    }

    public static void Signal(int pid, int signal) => _ = Kill(pid, signal);

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}

using System.Diagnostics;

namespace Grains.IngestBench;

/// <summary>The commit the measured build came from (for the results file).</summary>
public static class Git
{
    public static string Describe(string root)
    {
        try
        {
            var info = new ProcessStartInfo("git", ["-C", root, "log", "-1", "--format=%h (%s)"]) { RedirectStandardOutput = true, UseShellExecute = false };
            using var git = Process.Start(info)!;
            var line = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return git.ExitCode == 0 && line.Length > 0 ? $"commit {line.Replace("|", "\\|", StringComparison.Ordinal)}" : "an unknown commit";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "an unknown commit";
        }
    }
}

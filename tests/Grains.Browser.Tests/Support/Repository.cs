namespace Grains.Browser.Tests.Support;

/// <summary>Where things are in the repository the tests were built from.</summary>
internal static class Repository
{
    /// <summary>The directory holding Grains.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The build configuration of the tests (Release under test.sh); the server is run from the same one.</summary>
    public static string Configuration { get; } = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;

    /// <summary>The server's build output (its static web assets manifest sits beside it).</summary>
    public static string ServerDll => Path.Combine(Root, "src", "Grains.Server", "bin", Configuration, "net10.0", "Grains.Server.dll");

    /// <summary>The @sentry/node sender (package.json, send.mjs; test.sh runs <c>npm ci</c> there).</summary>
    public static string SenderDirectory => Path.Combine(Root, "tests", "Grains.Browser.Tests", "sentry");

    /// <summary>
    /// Where screenshots go: <c>GRAINS_SCREENSHOTS</c>, else <c>TestResults/screenshots</c> at the root
    /// (test.sh's results directory).
    /// </summary>
    public static string ScreenshotDirectory =>
        Environment.GetEnvironmentVariable("GRAINS_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Root, "TestResults", "screenshots");

    /// <summary>
    /// Where each server's whole output is kept when it stops (<c>{name}-{port}.log</c>): <c>GRAINS_SERVER_LOGS</c>,
    /// else <c>TestResults/server-logs</c> at the root. A failure seen only in CI can then be read afterwards.
    /// </summary>
    public static string ServerLogDirectory =>
        Environment.GetEnvironmentVariable("GRAINS_SERVER_LOGS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Root, "TestResults", "server-logs");

    /// <summary>The README's images, rewritten by the tests when <c>GRAINS_UPDATE_SCREENSHOTS=1</c>.</summary>
    public static string DocsImages => Path.Combine(Root, "docs", "images");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Grains.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Grains.sln not found above " + AppContext.BaseDirectory);
    }
}

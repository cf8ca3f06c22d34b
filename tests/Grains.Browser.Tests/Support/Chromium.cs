using Microsoft.Playwright;

namespace Grains.Browser.Tests.Support;

/// <summary>Debian's Chromium through Playwright: the path is explicit, a browser is never downloaded.</summary>
internal static class Chromium
{
    /// <summary>The browser the tests drive (test.sh installs the <c>chromium</c> package when it is missing).</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>Starts Playwright's driver and a headless Chromium.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"{ExecutablePath} is missing (test.sh installs the chromium package)");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Timeout = 120_000,
                Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"],
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}

using Grains.Server.Dashboard;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Grains.Browser.Tests.Support;

/// <summary>Steps every browser test takes: a fresh context, signing in, waiting for the circuit, screenshots.</summary>
internal static class Dashboard
{
    /// <summary>How long a page may take to show what a test waits for (a loaded 2-core machine).</summary>
    public const float Deadline = 60_000;

    /// <summary>A page in a browser context of its own (no cookies), addressed relative to <paramref name="server"/>.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, Uri server)
    {
        var context = await browser.NewContextAsync(new()
        {
            BaseURL = server.ToString(),
            ViewportSize = new() { Width = 1440, Height = 900 },
            Locale = "en-US",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(Deadline);
        context.SetDefaultNavigationTimeout(Deadline);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the sign-in form and waits until the browser has left it.</summary>
    public static async Task SignInAsync(IPage page, Credentials credentials, string? next = null)
    {
        await page.GotoAsync(next is null ? DashboardRoutes.SignIn : DashboardRoutes.SignIn + "?next=" + Uri.EscapeDataString(next));
        await page.GetByTestId("signin-email").FillAsync(credentials.Email);
        await page.GetByTestId("signin-password").FillAsync(credentials.Password);
        await page.GetByTestId("signin-submit").ClickAsync();
        // Committed is enough: the session cookie came with the answer to the post.
        await page.WaitForURLAsync(url => !new Uri(url).AbsolutePath.StartsWith(DashboardRoutes.SignIn, StringComparison.Ordinal), new() { Timeout = Deadline, WaitUntil = WaitUntilState.Commit });
    }

    /// <summary>
    /// The input of a MudBlazor field marked with <paramref name="testId"/> (the attribute lands on the
    /// input itself or on the component's root, depending on the component).
    /// </summary>
    public static ILocator Input(ILocator scope, string testId) =>
        scope.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    /// <summary>
    /// Waits until the page's circuit has rendered it interactively (the layout's <c>circuit</c> marker
    /// says so only when rendered by the circuit, not in the prerendered HTML): before that a click on a
    /// prerendered button does nothing.
    /// </summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        Expect(page.Locator("[data-testid=circuit][data-interactive=true]")).ToHaveCountAsync(1, new() { Timeout = Deadline });

    /// <summary>
    /// Saves a full-page screenshot under the screenshot directory; with <c>GRAINS_UPDATE_SCREENSHOTS=1</c>
    /// also to <c>docs/images/{docsImage}</c> (the README's pictures).
    /// </summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name, ITestOutputHelper output, string? docsImage = null)
    {
        // From the top: the app bar is fixed, and a page scrolled by a click would show it mid-picture.
        // No focus ring in the picture (the router focuses the page's heading).
        await page.EvaluateAsync("() => { window.scrollTo(0, 0); document.activeElement?.blur(); }");
        var path = Path.Combine(Repository.ScreenshotDirectory, name + ".png");
        Directory.CreateDirectory(Repository.ScreenshotDirectory);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        output.WriteLine($"screenshot: {path}");
        if (docsImage is not null && Environment.GetEnvironmentVariable("GRAINS_UPDATE_SCREENSHOTS") == "1")
        {
            Directory.CreateDirectory(Repository.DocsImages);
            var image = Path.Combine(Repository.DocsImages, docsImage);
            await page.ScreenshotAsync(new() { Path = image, FullPage = false });
            output.WriteLine($"docs image: {image}");
        }

        Assert.True(new FileInfo(path).Length > 0, path);
        return path;
    }
}

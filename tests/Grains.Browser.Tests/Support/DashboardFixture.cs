using Microsoft.Playwright;

namespace Grains.Browser.Tests.Support;

/// <summary>
/// What the browser tests share: one server (SQLite, the embedded default) and one Chromium. Each test
/// gets its own browser context (its own cookies) and its own issues (a fingerprint of its own).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private GrainsServer? _server;

    internal GrainsServer Server => _server ?? throw new InvalidOperationException("not started");

    internal IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();
        _server = await GrainsServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

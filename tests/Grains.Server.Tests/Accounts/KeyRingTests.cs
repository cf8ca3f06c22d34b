using System.Net;
using Grains.Monitoring.Accounts;
using Grains.Server.Accounts;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Accounts;

/// <summary>The Data Protection key ring lives in the store: a session cookie issued by one server process opens on the next one over the same database.</summary>
public sealed class KeyRingTests : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "grains-keyring-tests", Guid.NewGuid().ToString("N"));

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned up by the OS later.
        }

        return Task.CompletedTask;
    }

    private async Task<WebApplication> StartAsync()
    {
        var app = GrainsServer.Build(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Grains:DataDirectory"] = _data;
            builder.Configuration["Grains:Seed"] = "false";
            builder.Configuration["Logging:LogLevel:Default"] = "Warning";
        });
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task A_session_cookie_survives_a_restart_because_the_keys_are_in_the_database()
    {
        Cookie session;
        await using (var first = await StartAsync())
        {
            var user = await first.Services.GetRequiredService<AccountService>().CreateUserAsync("ring@acme.test", null, AccountsServer.Password);
            using var browser = new Browser(first.Urls.First());
            Assert.Equal(HttpStatusCode.Redirect, (await browser.SignInAsync(user.Email, AccountsServer.Password)).StatusCode);
            session = browser.Cookies.GetAllCookies().Single(c => c.Name == "grains_session");
            Assert.NotEmpty(await first.Services.GetRequiredService<IAccountStore>().ListDataProtectionKeysAsync());
            await first.StopAsync();
        }

        await using var second = await StartAsync();
        using var again = new Browser(second.Urls.First());
        again.Cookies.Add(new Uri(second.Urls.First()), new Cookie(session.Name, session.Value, "/"));

        Assert.Equal("/organizations/default/issues/", await again.RedirectOfAsync("/"));
    }
}

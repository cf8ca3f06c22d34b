using Grains.Server.Accounts;
using Grains.Server.Dashboard.Components;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Grains.Server.Dashboard;

/// <summary>
/// The web dashboard: Blazor pages served by the silo itself, interactive on the server over a SignalR
/// WebSocket, with MudBlazor's components (their scripts, styles and charts are served by the silo: no CDN).
/// </summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>The session cookie's name.</summary>
    public const string SessionCookieName = "grains_session";

    /// <summary>Registers the dashboard's services.</summary>
    public static IServiceCollection AddWebDashboard(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddHttpContextAccessor();
        services.TryAddSingleton(TimeProvider.System);
        services.AddAccounts();
        services.AddSingleton<Issues.IssueStreamService>();
        services.AddOptions<Live.LiveUpdateOptions>().BindConfiguration(Live.LiveUpdateOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Live.LiveUpdateOptions>, Live.LiveUpdateOptionsValidator>();
        services.AddSingleton<Live.IssueChangeWatcher>();
        services.AddCascadingAuthenticationState();
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = SessionCookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = DashboardRoutes.SignIn;
            cookie.LogoutPath = DashboardRoutes.SignOut;
            cookie.ReturnUrlParameter = "next";
            cookie.ExpireTimeSpan = TimeSpan.FromDays(14);
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = AccountsServiceCollectionExtensions.ValidateSessionAsync;
        });
        services.AddAuthorization();
        services.AddAntiforgery();
        return services;
    }

    /// <summary>Maps the dashboard's pages, its static assets and the circuit's hub.</summary>
    public static WebApplication MapWebDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapAccounts();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}

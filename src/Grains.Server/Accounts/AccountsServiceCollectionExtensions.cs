using Grains.Monitoring.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Grains.Server.Accounts;

/// <summary>Registers accounts (users, sign-in, permissions, the key ring) and maps sign-out.</summary>
public static class AccountsServiceCollectionExtensions
{
    /// <summary>The application name every silo protects data under (cookies from one silo open on another).</summary>
    public const string DataProtectionApplicationName = "Grains";

    /// <summary>
    /// Registers <see cref="AccountsOptions"/> (validated at start), <see cref="AccountService"/>,
    /// <see cref="SessionValidator"/>, <see cref="AccessResolver"/>, the owner seeder, and — when the
    /// storage provides an <see cref="IAccountStore"/> — Data Protection's key ring in it.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AccountsOptions>().BindConfiguration(AccountsOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccountsOptions>, AccountsOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AccountService>();
        services.AddSingleton<SessionValidator>();
        services.AddSingleton<AccessResolver>();
        services.AddSingleton<Seeding.OwnerSeeder>();
        services.AddSingleton<MemberService>();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        services.AddSingleton<PersonalTokens>();
        services.AddDataProtection().SetApplicationName(DataProtectionApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((keys, provider) =>
        {
            if (provider.GetService<IAccountStore>() is { } store)
            {
                keys.XmlRepository = new StoreXmlRepository(store);
            }
        });
        return services;
    }

    /// <summary>Ends a dashboard session whose user is gone or whose password changed since it began.</summary>
    public static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var validator = context.HttpContext.RequestServices.GetRequiredService<SessionValidator>();
        if (context.Principal is null || !await validator.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>Maps <c>POST /auth/logout/</c>: signs out (antiforgery checked) and returns to the sign-in page.</summary>
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(Dashboard.DashboardRoutes.SignOut, async (HttpContext http, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Results.BadRequest("The form has expired or was not sent from this site. Reload the page and try again.");
            }

            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(Dashboard.DashboardRoutes.SignIn);
        }).DisableAntiforgery().AllowAnonymous();
        return endpoints;
    }
}

using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace Grains.Server.Accounts;

/// <summary>
/// Re-checks an interactive page's session while its circuit lives (a circuit outlives the request whose
/// cookie it was opened with): when the user's password changes, their open pages fall back to the
/// sign-in page within <see cref="AccountsOptions.SessionValidationInterval"/> (at least 1 s).
/// </summary>
internal sealed class SessionRevalidatingStateProvider(ILoggerFactory loggerFactory, SessionValidator validator, IOptions<AccountsOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    /// <inheritdoc />
    protected override TimeSpan RevalidationInterval =>
        options.Value.SessionValidationInterval < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : options.Value.SessionValidationInterval;

    /// <inheritdoc />
    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(authenticationState);
        return authenticationState.User.Identity?.IsAuthenticated == true
            ? validator.IsCurrentAsync(authenticationState.User, cancellationToken)
            : Task.FromResult(true);
    }
}

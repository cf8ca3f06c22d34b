using Grains.Monitoring.Accounts;
using Grains.Monitoring.Storage;
using Grains.Server.Accounts;
using Grains.Server.Storage;
using Microsoft.Extensions.Options;

namespace Grains.Server.Seeding;

/// <summary>
/// The first start's dashboard owner: while no user exists, creates <see cref="AccountsOptions.OwnerEmail"/>
/// with a generated one-time password, an owner of the seeded organization, and writes the email and the
/// password to <c>{data}/owner-password</c> (two lines, <c>email: …</c> and <c>password: …</c>; owner-readable
/// only, like <c>admin-token</c>). Only the password's hash is stored.
/// </summary>
public sealed partial class OwnerSeeder(IAccountStore accounts, AccountService service, IOptions<AccountsOptions> options, ILogger<OwnerSeeder> logger)
{
    /// <summary>The file name under the data directory.</summary>
    public const string FileName = "owner-password";

    /// <summary>Creates the owner when there is no user yet (runs under the seeding lock); says what to print.</summary>
    public async Task<OwnerNotice> EnsureAsync(OrganizationRecord organization, string passwordFile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organization);
        var email = options.Value.OwnerEmail.Trim();
        if (await accounts.AnyUserAsync(cancellationToken))
        {
            var existing = await accounts.FindUserByEmailAsync(email, cancellationToken);
            if (existing is not null)
            {
                // A seeder that died after creating the user but before the membership is completed here.
                await accounts.AddMemberAsync(organization.Id, existing.Id, MemberRoles.Owner, cancellationToken);
            }

            return OwnerNotice.Existing(email, File.Exists(passwordFile));
        }

        var password = AccountService.NewPassword();
        UserRecord user;
        try
        {
            user = await service.CreateUserAsync(email, "Owner", password, cancellationToken);
        }
        catch (DuplicateEmailException)
        {
            // Created by another process meanwhile: it printed the password.
            return OwnerNotice.Existing(email, File.Exists(passwordFile));
        }

        await PrivateDataDirectory.WritePrivateFileAsync(passwordFile, $"email: {email}\npassword: {password}\n", cancellationToken);
        await accounts.AddMemberAsync(organization.Id, user.Id, MemberRoles.Owner, cancellationToken);
        LogSeeded(logger, user.Id, passwordFile);
        return OwnerNotice.Created(email, password);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the dashboard owner (user {UserId}; sign-in written to {PasswordFile})")]
    private static partial void LogSeeded(ILogger logger, long userId, string passwordFile);
}

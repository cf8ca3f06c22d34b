using Grains.Monitoring.Accounts;

namespace Grains.Server.Accounts;

/// <summary>
/// Adding members, changing their roles and removing them, for the members page and the members API alike.
/// Rules: it takes <see cref="Permission.ManageMembers"/> (managers and owners); only an owner grants,
/// changes or removes the owner role; the last owner can be neither removed nor demoted (an organization
/// always has someone who can manage it). Each change re-reads the stored members, so two pages open at once
/// cannot both remove "the other" owner unnoticed… except in a race of two concurrent requests, which the
/// store does not serialize (acceptable: both requesters are owners of the organization).
/// </summary>
public sealed partial class MemberService(IAccountStore accounts, AccountService service, ILogger<MemberService> logger)
{
    /// <summary>Refused: the actor may not manage members.</summary>
    public const string ForbiddenMessage = "You do not have permission to perform this action.";

    /// <summary>Refused: only owners manage owners.</summary>
    public const string OwnersOnlyMessage = "Only an owner can grant, change or remove the owner role.";

    /// <summary>Refused: the last owner stays.</summary>
    public const string LastOwnerMessage = "The organization's only owner cannot be removed or demoted.";

    /// <summary>The organization's members, by email.</summary>
    public Task<IReadOnlyList<OrganizationMember>> ListAsync(OrganizationAccess actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return accounts.ListMembersAsync(actor.Organization.Id, cancellationToken);
    }

    /// <summary>
    /// Adds the user with <paramref name="email"/> as a member with <paramref name="role"/>, creating the user
    /// with <paramref name="password"/> (required then) when no user has that email.
    /// </summary>
    public async Task<MemberResult> AddAsync(OrganizationAccess actor, string? email, string? displayName, string? password, OrganizationRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Refusal(actor, role) is { } refused)
        {
            return refused;
        }

        if (!AccountValidation.IsEmail(email))
        {
            return new MemberResult(StatusCodes.Status400BadRequest, "Enter a valid email address.", Field: "email");
        }

        var user = await accounts.FindUserByEmailAsync(email!, cancellationToken);
        if (user is null)
        {
            if (AccountValidation.PasswordProblem(password) is { } problem)
            {
                return new MemberResult(StatusCodes.Status400BadRequest, "A new user needs an initial password: " + problem, Field: "password");
            }

            try
            {
                user = await service.CreateUserAsync(email!, displayName, password!, cancellationToken);
            }
            catch (DuplicateEmailException)
            {
                user = await accounts.FindUserByEmailAsync(email!, cancellationToken);
                if (user is null)
                {
                    throw;
                }
            }
        }

        if (!await accounts.AddMemberAsync(actor.Organization.Id, user.Id, Roles.Name(role), cancellationToken))
        {
            return new MemberResult(StatusCodes.Status409Conflict, $"{user.Email} is already a member of this organization.", Field: "email");
        }

        LogAdded(logger, user.Id, actor.Organization.Slug, Roles.Name(role));
        return new MemberResult(StatusCodes.Status201Created, Member: await accounts.GetMemberAsync(actor.Organization.Id, user.Id, cancellationToken));
    }

    /// <summary>Changes a member's role.</summary>
    public async Task<MemberResult> SetRoleAsync(OrganizationAccess actor, long userId, OrganizationRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var member = await accounts.GetMemberAsync(actor.Organization.Id, userId, cancellationToken);
        if (member is null)
        {
            return new MemberResult(StatusCodes.Status404NotFound, "The requested resource does not exist");
        }

        var current = Roles.Parse(member.Role) ?? OrganizationRole.Member;
        if (Refusal(actor, role, current) is { } refused)
        {
            return refused;
        }

        if (current == OrganizationRole.Owner && role != OrganizationRole.Owner && await IsLastOwnerAsync(actor, cancellationToken))
        {
            return new MemberResult(StatusCodes.Status403Forbidden, LastOwnerMessage);
        }

        await accounts.SetRoleAsync(actor.Organization.Id, userId, Roles.Name(role), cancellationToken);
        LogRoleChanged(logger, userId, actor.Organization.Slug, Roles.Name(role));
        return new MemberResult(StatusCodes.Status200OK, Member: member with { Role = Roles.Name(role) });
    }

    /// <summary>Removes a member (the user stays: they may be a member elsewhere).</summary>
    public async Task<MemberResult> RemoveAsync(OrganizationAccess actor, long userId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var member = await accounts.GetMemberAsync(actor.Organization.Id, userId, cancellationToken);
        if (member is null)
        {
            return new MemberResult(StatusCodes.Status404NotFound, "The requested resource does not exist");
        }

        var current = Roles.Parse(member.Role) ?? OrganizationRole.Member;
        if (Refusal(actor, current) is { } refused)
        {
            return refused;
        }

        if (current == OrganizationRole.Owner && await IsLastOwnerAsync(actor, cancellationToken))
        {
            return new MemberResult(StatusCodes.Status403Forbidden, LastOwnerMessage);
        }

        await accounts.RemoveMemberAsync(actor.Organization.Id, userId, cancellationToken);
        LogRemoved(logger, userId, actor.Organization.Slug);
        return new MemberResult(StatusCodes.Status204NoContent);
    }

    private static MemberResult? Refusal(OrganizationAccess actor, params OrganizationRole[] touched)
    {
        if (!actor.Can(Permission.ManageMembers))
        {
            return new MemberResult(StatusCodes.Status403Forbidden, ForbiddenMessage);
        }

        return touched.Contains(OrganizationRole.Owner) && actor.Role != OrganizationRole.Owner
            ? new MemberResult(StatusCodes.Status403Forbidden, OwnersOnlyMessage)
            : null;
    }

    private async Task<bool> IsLastOwnerAsync(OrganizationAccess actor, CancellationToken cancellationToken) =>
        (await accounts.ListMembersAsync(actor.Organization.Id, cancellationToken)).Count(m => m.Role == MemberRoles.Owner) <= 1;

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} added to organization {Organization} as {Role}")]
    private static partial void LogAdded(ILogger logger, long userId, string organization, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} of organization {Organization} is now {Role}")]
    private static partial void LogRoleChanged(ILogger logger, long userId, string organization, string role);

    [LoggerMessage(Level = LogLevel.Information, Message = "User {UserId} removed from organization {Organization}")]
    private static partial void LogRemoved(ILogger logger, long userId, string organization);
}

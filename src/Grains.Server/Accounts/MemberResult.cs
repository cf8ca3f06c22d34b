using Grains.Monitoring.Accounts;

namespace Grains.Server.Accounts;

/// <summary>The outcome of a <see cref="MemberService"/> change: the member on success, else an HTTP status and why.</summary>
/// <param name="StatusCode">200 or 201 on success; 400, 403, 404 or 409 when refused.</param>
/// <param name="Error">Why it was refused (shown on the page, the API's <c>detail</c>).</param>
/// <param name="Member">The member after the change (null after a removal or a refusal).</param>
/// <param name="Field">The input field the error is about, when it is about one (the API answers <c>{"field": ["error"]}</c>).</param>
public sealed record MemberResult(int StatusCode, string? Error = null, OrganizationMember? Member = null, string? Field = null)
{
    /// <summary>Whether the change was made.</summary>
    public bool Succeeded => Error is null;
}

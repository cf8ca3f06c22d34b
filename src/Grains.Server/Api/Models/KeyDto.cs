namespace Grains.Server.Api.Models;

/// <summary>Sentry's DSN key (<c>ProjectKeySerializer</c>); <c>projectId</c> is a number there, unlike most ids.</summary>
internal sealed record KeyDto(
    string Id,
    string Name,
    string Label,
    string Public,
    string Secret,
    long ProjectId,
    bool IsActive,
    RateLimitDto? RateLimit,
    KeyDsnDto Dsn,
    string DateCreated);

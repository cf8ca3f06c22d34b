namespace Grains.Server.Api.Models;

/// <summary>Sentry's <c>rateLimit</c>: <c>count</c> events per <c>window</c> seconds.</summary>
internal sealed record RateLimitDto(long Window, long Count);

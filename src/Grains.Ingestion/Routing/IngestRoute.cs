namespace Grains.Ingestion.Routing;

/// <summary>A matched ingest path.</summary>
/// <param name="Endpoint">Which endpoint the path addresses.</param>
/// <param name="ProjectId">
/// The project id from the path; <c>null</c> only for the legacy <c>/api/store/</c>, where the
/// project comes from the key alone.
/// </param>
/// <param name="Prefix">
/// The DSN path prefix before <c>/api/</c> (e.g. <c>/sentry</c>), or an empty string.
/// </param>
public sealed record IngestRoute(IngestEndpoint Endpoint, ulong? ProjectId, string Prefix);

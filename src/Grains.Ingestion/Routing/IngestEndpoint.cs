namespace Grains.Ingestion.Routing;

/// <summary>The ingest endpoints this library understands.</summary>
public enum IngestEndpoint
{
    /// <summary><c>POST /api/{projectId}/envelope/</c>: every current SDK.</summary>
    Envelope,

    /// <summary><c>POST|GET /api/{projectId}/store/</c> (and <c>/api/store/</c>): legacy single-event endpoint.</summary>
    Store,
}

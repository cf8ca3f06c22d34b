using Grains.Server.Storage;
using Grains.Server.Streams;

namespace Grains.Server;

/// <summary>Settings of a Grains server (configuration section <c>Grains</c>, e.g. <c>Grains__DataDirectory</c>).</summary>
public sealed class GrainsServerOptions
{
    /// <summary>Default <see cref="Url"/>: http://127.0.0.1:8000.</summary>
    public const string DefaultUrl = "http://127.0.0.1:8000";

    /// <summary>Where the SQLite database (when <see cref="Storage"/> is SQLite) and the admin token file live. Default <c>data</c> (relative to the working directory).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The URL to listen on when ASP.NET Core's <c>urls</c> setting is not given. Default <see cref="DefaultUrl"/>.</summary>
    public string Url { get; set; } = DefaultUrl;

    /// <summary>The public URL used in DSNs and links; defaults to <see cref="Url"/>.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Whether to seed organization <c>default</c>, project <c>default</c>, a DSN key and an admin token on first start. Default true.</summary>
    public bool Seed { get; set; } = true;

    /// <summary>The storage provider (<c>Grains:Storage:Provider</c> = <c>sqlite</c>, the default, <c>postgres</c> or <c>azure</c>).</summary>
    public GrainsStorageOptions Storage { get; set; } = new();

    /// <summary>The ingest stream's provider (<c>Grains:Streams:Provider</c> = <c>log</c>, the default, or <c>eventhubs</c>).</summary>
    public GrainsStreamsOptions Streams { get; set; } = new();

    /// <summary>
    /// Whether this server processes the ingest stream (default true). False holds processing: events
    /// are still authenticated, acknowledged and stored durably, and wait in the log until a server
    /// runs with delivery on (e.g. while the stores are being maintained). <c>Grains__StartDelivery=false</c>.
    /// </summary>
    public bool StartDelivery { get; set; } = true;

    /// <summary>
    /// An admin API token to accept (<c>Grains__AdminToken</c>), for clusters whose silos must agree on
    /// one: the seeder makes sure a token with this value's hash exists. Default none: on first start
    /// the seeder generates a token and writes it to <c>{DataDirectory}/admin-token</c> (owner-only).
    /// Never logged.
    /// </summary>
    public string? AdminToken { get; set; }
}

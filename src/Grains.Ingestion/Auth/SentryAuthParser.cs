using System.Buffers;
using System.Text;
using System.Text.Json;
using Grains.Ingestion.Errors;

namespace Grains.Ingestion.Auth;

/// <summary>
/// Extracts and validates credentials the way Relay's <c>auth_from_parts</c> does (reference §2.2–§2.4).
/// </summary>
/// <remarks>
/// Call order on <c>/envelope/</c>: <see cref="FromRequest"/> before reading the body (so a bad
/// key is rejected cheaply); if it returns <c>null</c>, <see cref="FromEnvelopeBody"/> on the decoded
/// body; after parsing the envelope, <see cref="EnsureEnvelopeMatches"/>. On <c>/store/</c>, use
/// <see cref="Require"/> instead of the envelope fallback.
/// </remarks>
public static class SentryAuthParser
{
    /// <summary>Highest protocol version Relay accepts (<c>PROTOCOL_VERSION</c>).</summary>
    public const int ProtocolVersion = 7;

    /// <summary>401: no credentials anywhere.</summary>
    public const string MissingAuthDetail = "missing authorization information";

    /// <summary>401: credentials in more than one place.</summary>
    public const string MultipleAuthDetail = "multiple authorization payloads detected";

    /// <summary>401: a malformed <c>X-Sentry-Auth</c>/<c>Authorization</c> header or query.</summary>
    public const string BadAuthDetail = "bad x-sentry-auth header";

    /// <summary>401: the envelope header gives no usable <c>dsn</c>.</summary>
    public const string BadEnvelopeAuthDetail = "bad envelope authentication header";

    /// <summary>400: the public key is not 32 hex characters.</summary>
    public const string BadPublicKeyDetail = "bad sentry DSN public key";

    /// <summary>400: the envelope header disagrees with the request (Relay <c>Envelope::complete</c>).</summary>
    public const string InvalidEnvelopeDetail = "invalid event envelope";

    private const string SentryPrefix = "sentry ";

    /// <summary>
    /// Reads credentials from the headers and the query string. Returns <c>null</c> when there are
    /// none, so the caller can fall back to the envelope header (or reject with <see cref="Require"/>).
    /// </summary>
    /// <param name="getHeader">Header lookup by name, case-insensitive; <c>null</c> when absent.</param>
    /// <param name="queryString">The raw query string, with or without the leading <c>?</c>.</param>
    /// <exception cref="IngestException">401 for multiple or malformed credentials; 400 for a bad key or
    /// an unsupported version.</exception>
    public static SentryAuth? FromRequest(Func<string, string?> getHeader, string? queryString)
    {
        RawAuth? found = null;

        // Only headers that start with "sentry " are credentials; any other Authorization scheme
        // (Bearer from a proxy, say) is not ours and is ignored, as in Relay.
        var sentryAuth = getHeader("X-Sentry-Auth");
        if (HasSentryPrefix(sentryAuth))
        {
            found = ParseHeaderPairs(sentryAuth!, SentryAuthSource.XSentryAuthHeader);
        }

        var authorization = getHeader("Authorization");
        if (HasSentryPrefix(authorization))
        {
            found = found is null ? ParseHeaderPairs(authorization!, SentryAuthSource.AuthorizationHeader) : throw Multiple();
        }
        else if (TryParseBasic(authorization) is { } basic)
        {
            found = found is null ? basic : throw Multiple();
        }

        var query = queryString.AsSpan().TrimStart('?');
        if (query.Contains("sentry_", StringComparison.Ordinal))
        {
            found = found is null ? FromPairs(ParseQuery(query), SentryAuthSource.QueryString) : throw Multiple();
        }

        return found is null ? null : Validate(found.Value, getHeader("User-Agent"));
    }

    /// <summary>Returns <paramref name="auth"/>, or throws 401 <c>missing authorization information</c>.</summary>
    public static SentryAuth Require(SentryAuth? auth) =>
        auth ?? throw IngestException.Unauthorized(MissingAuthDetail);

    /// <summary>
    /// Tunnel mode: takes the credentials from the <c>dsn</c> of the envelope header (the first
    /// line of the decoded body).
    /// </summary>
    /// <exception cref="IngestException">401 <c>bad envelope authentication header</c> when the header
    /// is not JSON, has no <c>dsn</c>, or the DSN or its key is unusable (Relay answers 401 here too,
    /// because the key is validated while deserializing the header).</exception>
    public static SentryAuth FromEnvelopeBody(ReadOnlySpan<byte> body, string? userAgent = null)
    {
        var newline = body.IndexOf((byte)'\n');
        var line = newline < 0 ? body : body[..newline];
        string? dsnText;
        try
        {
            dsnText = ReadDsnField(line);
        }
        catch (JsonException e)
        {
            throw IngestException.Unauthorized(BadEnvelopeAuthDetail, e.Message);
        }

        if (dsnText is null)
        {
            throw IngestException.Unauthorized(BadEnvelopeAuthDetail, "missing field `dsn`");
        }

        if (!SentryDsn.TryParse(dsnText, out var dsn))
        {
            throw IngestException.Unauthorized(BadEnvelopeAuthDetail, "invalid dsn");
        }

        if (!TryNormalizeKey(dsn.PublicKey, out var key))
        {
            throw IngestException.Unauthorized(BadEnvelopeAuthDetail, "invalid project key");
        }

        return new SentryAuth(key, dsn.SecretKey, ProtocolVersion, userAgent, SentryAuthSource.EnvelopeDsn);
    }

    /// <summary>
    /// Checks that the envelope header's <c>dsn</c>, when present, names the same key and project
    /// as the request.
    /// </summary>
    /// <exception cref="IngestException">400 <c>invalid event envelope</c> with the mismatch as cause.</exception>
    public static void EnsureEnvelopeMatches(SentryAuth auth, ulong? routeProjectId, string? envelopeDsn)
    {
        // EnvelopeParser has already refused an unparsable dsn, so TryParse only filters out null.
        if (!SentryDsn.TryParse(envelopeDsn, out var dsn))
        {
            return;
        }

        if (!TryNormalizeKey(dsn.PublicKey, out var key) || key != auth.PublicKey)
        {
            throw IngestException.BadRequest(InvalidEnvelopeDetail, "public key header mismatch between envelope and request");
        }

        if (routeProjectId is { } projectId && projectId != dsn.ProjectId)
        {
            throw IngestException.BadRequest(InvalidEnvelopeDetail, "project id header mismatch between envelope and request");
        }
    }

    /// <summary>
    /// Validates a public key: 32 hex characters, optionally followed by <c>.flag</c> suffixes
    /// (Relay's <c>ProjectKey::parse_with_flags</c>). Returns the lowercase key without flags.
    /// </summary>
    public static bool TryNormalizeKey(string raw, out string key)
    {
        var dot = raw.IndexOf('.');
        var span = dot < 0 ? raw.AsSpan() : raw.AsSpan(0, dot);
        key = string.Empty;
        if (span.Length != 32 || span.ContainsAnyExcept(HexChars))
        {
            return false;
        }

        key = span.ContainsAny(UpperHex) ? span.ToString().ToLowerInvariant() : (dot < 0 ? raw : span.ToString());
        return true;
    }

    private static readonly SearchValues<char> HexChars = SearchValues.Create("0123456789abcdefABCDEF");
    private static readonly SearchValues<char> UpperHex = SearchValues.Create("ABCDEF");

    private static bool HasSentryPrefix(string? value) =>
        value is not null && value.Length >= SentryPrefix.Length && value.AsSpan(0, SentryPrefix.Length).Equals(SentryPrefix, StringComparison.OrdinalIgnoreCase);

    private static IngestException Multiple() => IngestException.Unauthorized(MultipleAuthDetail);

    private static RawAuth ParseHeaderPairs(string header, SentryAuthSource source)
    {
        // Split at the first space like sentry-types' Auth::from_str; the prefix was checked by the caller.
        var rest = header[SentryPrefix.Length..];
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var item in rest.Split(','))
        {
            var eq = item.IndexOf('=');
            var name = (eq < 0 ? item : item[..eq]).Trim();
            var value = eq < 0 ? string.Empty : item[(eq + 1)..].Trim();
            if (name.Length > 0)
            {
                pairs.Add(new(name, value));
            }
        }

        return FromPairs(pairs, source);
    }

    private static RawAuth? TryParseBasic(string? authorization)
    {
        if (authorization is null || authorization.Length < 6 || !authorization.AsSpan(0, 6).Equals("basic ", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(authorization[6..].Trim()));
            var colon = decoded.IndexOf(':');

            // Like Relay, Basic credentials that do not decode to "key:…" are simply not Sentry auth.
            return colon < 0 ? null : new RawAuth(decoded[..colon], null, null, null, SentryAuthSource.BasicAuthorization);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static RawAuth FromPairs(IEnumerable<KeyValuePair<string, string>> pairs, SentryAuthSource source)
    {
        string? key = null, secret = null, version = null, client = null;
        foreach (var (name, value) in pairs)
        {
            switch (name)
            {
                case "sentry_key":
                    key = value;
                    break;
                case "sentry_secret":
                    secret = value.Length == 0 ? null : value;
                    break;
                case "sentry_version":
                    version = value;
                    break;
                case "sentry_client":
                    client = value;
                    break;
            }
        }

        if (key is null)
        {
            throw IngestException.Unauthorized(BadAuthDetail, "missing public key in auth header");
        }

        return new RawAuth(key, secret, version, client, source);
    }

    private static SentryAuth Validate(RawAuth raw, string? userAgent)
    {
        var version = ProtocolVersion;
        if (raw.Version is { } versionText)
        {
            // Only the major number counts ("7.0" is 7); Relay parses it as u16.
            var major = versionText.Split('.', 2)[0];
            if (!ushort.TryParse(major, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                throw IngestException.Unauthorized(BadAuthDetail, "invalid value for version");
            }

            version = parsed;
        }

        if (!TryNormalizeKey(raw.Key, out var key))
        {
            throw IngestException.BadRequest(BadPublicKeyDetail, "invalid project key");
        }

        if (version > ProtocolVersion)
        {
            throw IngestException.BadRequest($"unsupported protocol version ({version})");
        }

        var client = string.IsNullOrEmpty(raw.Client) ? (string.IsNullOrEmpty(userAgent) ? null : userAgent) : raw.Client;
        return new SentryAuth(key, raw.Secret, version, client, raw.Source);
    }

    private static List<KeyValuePair<string, string>> ParseQuery(ReadOnlySpan<char> query)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var range in query.Split('&'))
        {
            var part = query[range];
            if (part.IsEmpty)
            {
                continue;
            }

            var eq = part.IndexOf('=');
            var name = Decode(eq < 0 ? part : part[..eq]);
            var value = eq < 0 ? string.Empty : Decode(part[(eq + 1)..]);
            pairs.Add(new(name, value));
        }

        return pairs;
    }

    // application/x-www-form-urlencoded: '+' is a space, then percent-decoding.
    private static string Decode(ReadOnlySpan<char> text) =>
        Uri.UnescapeDataString(text.Contains('+') ? text.ToString().Replace('+', ' ') : text.ToString());

    private static string? ReadDsnField(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, new JsonReaderOptions { AllowMultipleValues = true });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("expected an object");
        }

        string? dsn = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isDsn = reader.ValueTextEquals("dsn"u8);
            reader.Read();
            if (isDsn && reader.TokenType == JsonTokenType.String)
            {
                dsn = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return dsn;
    }

    private readonly record struct RawAuth(string Key, string? Secret, string? Version, string? Client, SentryAuthSource Source);
}

using System.Text;
using Grains.Ingestion.Auth;
using Grains.Ingestion.Tests.Support;

namespace Grains.Ingestion.Tests.Auth;

public class SentryAuthParserTests
{
    private const string Key = "0123456789abcdef0123456789abcdef";

    private static Func<string, string?> Headers(params (string Name, string Value)[] headers) =>
        name => headers.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Value;

    [Fact]
    public void Query_string_from_js_sdk()
    {
        var auth = SentryAuthParser.FromRequest(Headers(), $"?sentry_version=7&sentry_key={Key}&sentry_client=sentry.javascript.node%2F11.12.0");
        Assert.Equal(new SentryAuth(Key, null, 7, "sentry.javascript.node/11.12.0", SentryAuthSource.QueryString), auth);
        Assert.Equal("sentry.javascript.node", auth!.ClientName);
        Assert.Equal("11.12.0", auth.ClientVersion);
    }

    [Fact]
    public void X_sentry_auth_dotnet_style_without_spaces()
    {
        var auth = SentryAuthParser.FromRequest(Headers(("X-Sentry-Auth", $"Sentry sentry_version=7,sentry_client=sentry.dotnet/5.0.0,sentry_key={Key},sentry_secret=s3cr3t")), null);
        Assert.Equal(new SentryAuth(Key, "s3cr3t", 7, "sentry.dotnet/5.0.0", SentryAuthSource.XSentryAuthHeader), auth);
    }

    [Fact]
    public void X_sentry_auth_python_style_with_spaces_and_lowercase_prefix()
    {
        var auth = SentryAuthParser.FromRequest(Headers(("x-sentry-auth", $"sentry sentry_key={Key}, sentry_version=7.0, sentry_client=sentry.python/2.1.0")), "");
        Assert.Equal(new SentryAuth(Key, null, 7, "sentry.python/2.1.0", SentryAuthSource.XSentryAuthHeader), auth);
    }

    [Fact]
    public void Authorization_sentry_header()
    {
        var auth = SentryAuthParser.FromRequest(Headers(("Authorization", $"Sentry sentry_key={Key.ToUpperInvariant()}")), null);
        Assert.Equal(Key, auth!.PublicKey);
        Assert.Equal(SentryAuthSource.AuthorizationHeader, auth.Source);
        Assert.Equal(7, auth.Version);
    }

    [Fact]
    public void Authorization_basic_header()
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(Key + ":"));
        var auth = SentryAuthParser.FromRequest(Headers(("Authorization", "Basic " + basic), ("User-Agent", "curl/8.0")), null);
        Assert.Equal(new SentryAuth(Key, null, 7, "curl/8.0", SentryAuthSource.BasicAuthorization), auth);
    }

    [Fact]
    public void Key_flags_are_stripped()
    {
        var auth = SentryAuthParser.FromRequest(Headers(), $"sentry_key={Key}.no-cache");
        Assert.Equal(Key, auth!.PublicKey);
    }

    [Fact]
    public void Non_sentry_authorization_and_foreign_query_are_not_credentials()
    {
        Assert.Null(SentryAuthParser.FromRequest(Headers(("Authorization", "Bearer abc"), ("X-Sentry-Auth", "Token x")), "?page=2"));
        Rejection.Assert(() => SentryAuthParser.Require(null), 401, "missing authorization information");
    }

    [Fact]
    public void Envelope_dsn_tunnel_mode()
    {
        var body = Encoding.UTF8.GetBytes($"{{\"event_id\":\"76b8cddbe2394c689cab4326b9217bd3\",\"dsn\":\"https://{Key}@o1.example.com/sentry/42\"}}\n{{\"type\":\"event\"}}\n{{}}");
        var auth = SentryAuthParser.FromEnvelopeBody(body, "sentry.javascript.browser/11.12.0");
        Assert.Equal(new SentryAuth(Key, null, 7, "sentry.javascript.browser/11.12.0", SentryAuthSource.EnvelopeDsn), auth);
        SentryAuthParser.EnsureEnvelopeMatches(auth, 42, $"https://{Key}@o1.example.com/sentry/42");
    }

    public static TheoryData<(string Name, string Value)[], string?, int, string, string?> MalformedRequests => new()
    {
        { [("X-Sentry-Auth", $"Sentry sentry_key={Key}")], $"sentry_key={Key}", 401, "multiple authorization payloads detected", null },
        { [("X-Sentry-Auth", $"Sentry sentry_key={Key}"), ("Authorization", $"Sentry sentry_key={Key}")], null, 401, "multiple authorization payloads detected", null },
        { [("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(Key + ":")))], $"sentry_key={Key}", 401, "multiple authorization payloads detected", null },
        { [("X-Sentry-Auth", "Sentry sentry_version=7")], null, 401, "bad x-sentry-auth header", "missing public key in auth header" },
        { [], "sentry_version=7&sentry_client=x", 401, "bad x-sentry-auth header", "missing public key in auth header" },
        { [("X-Sentry-Auth", $"Sentry sentry_key={Key}, sentry_version=seven")], null, 401, "bad x-sentry-auth header", "invalid value for version" },
        { [("X-Sentry-Auth", "Sentry sentry_key=publickey")], null, 400, "bad sentry DSN public key", "invalid project key" },
        { [], "sentry_key=0123456789abcdef0123456789abcdeg", 400, "bad sentry DSN public key", null },
        { [], "sentry_key=0123456789abcdef0123456789abcdef0", 400, "bad sentry DSN public key", null },
        { [], "sentry_key=", 400, "bad sentry DSN public key", null },
        { [("X-Sentry-Auth", $"Sentry sentry_key={Key}, sentry_version=8")], null, 400, "unsupported protocol version (8)", null },
    };

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public void Malformed_credentials_are_rejected((string Name, string Value)[] headers, string? query, int status, string detail, string? cause)
    {
        Rejection.Assert(() => SentryAuthParser.FromRequest(Headers(headers), query), status, detail, cause);
    }

    [Theory]
    [InlineData("{}", "missing field `dsn`")]
    [InlineData("{\"dsn\":\"not a dsn\"}", "invalid dsn")]
    [InlineData("{\"dsn\":\"https://host/42\"}", "invalid dsn")]
    [InlineData("{\"dsn\":\"https://publickey@host/42\"}", "invalid project key")]
    [InlineData("{\"dsn\":\"ftp://0123456789abcdef0123456789abcdef@host/42\"}", "invalid dsn")]
    [InlineData("{\"dsn\":", null)]
    [InlineData("[1,2]", null)]
    public void Bad_envelope_dsn_is_401(string header, string? cause)
    {
        Rejection.Assert(() => SentryAuthParser.FromEnvelopeBody(Encoding.UTF8.GetBytes(header + "\n")), 401, "bad envelope authentication header", cause);
    }

    [Theory]
    [InlineData("https://ffffffffffffffffffffffffffffffff@host/42", 42UL, "public key header mismatch between envelope and request")]
    [InlineData("https://0123456789abcdef0123456789abcdef@host/43", 42UL, "project id header mismatch between envelope and request")]
    public void Envelope_dsn_must_match_request(string dsn, ulong projectId, string cause)
    {
        var auth = new SentryAuth(Key, null, 7, null, SentryAuthSource.QueryString);
        Rejection.Assert(() => SentryAuthParser.EnsureEnvelopeMatches(auth, projectId, dsn), 400, "invalid event envelope", cause);
    }

    [Theory]
    [InlineData("https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42", "https", "o1.ingest.sentry.io", -1, "", 42UL, null)]
    [InlineData("http://0123456789abcdef0123456789abcdef:secret@127.0.0.1:5000/sentry/7", "http", "127.0.0.1", 5000, "/sentry", 7UL, "secret")]
    public void Dsn_parsing(string text, string scheme, string host, int port, string path, ulong projectId, string? secret)
    {
        Assert.True(SentryDsn.TryParse(text, out var dsn));
        Assert.Equal(new SentryDsn(scheme, Key, secret, host, port, path, projectId), dsn);
    }
}

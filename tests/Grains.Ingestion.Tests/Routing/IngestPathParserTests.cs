using Grains.Ingestion.Routing;
using Grains.Ingestion.Tests.Support;

namespace Grains.Ingestion.Tests.Routing;

public class IngestPathParserTests
{
    [Theory]
    [InlineData("/api/42/envelope/", IngestEndpoint.Envelope, 42UL, "")]
    [InlineData("/api/42/envelope", IngestEndpoint.Envelope, 42UL, "")]
    [InlineData("//api//42///envelope//", IngestEndpoint.Envelope, 42UL, "")]
    [InlineData("/api/42/store/", IngestEndpoint.Store, 42UL, "")]
    [InlineData("/api/42/store", IngestEndpoint.Store, 42UL, "")]
    [InlineData("/sentry/api/42/envelope/", IngestEndpoint.Envelope, 42UL, "/sentry")]
    [InlineData("/a/b/api/7/store/", IngestEndpoint.Store, 7UL, "/a/b")]
    [InlineData("/api/18446744073709551615/envelope/", IngestEndpoint.Envelope, 18446744073709551615UL, "")]
    public void Matches_ingest_routes(string path, IngestEndpoint endpoint, ulong projectId, string prefix)
    {
        var route = IngestPathParser.Parse(path);
        Assert.Equal(new IngestRoute(endpoint, projectId, prefix), route);
    }

    [Theory]
    [InlineData("/api/store/")]
    [InlineData("/api/store")]
    public void Legacy_store_route_has_no_project(string path)
    {
        Assert.Equal(new IngestRoute(IngestEndpoint.Store, null, ""), IngestPathParser.Parse(path));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("")]
    [InlineData("/api/42/")]
    [InlineData("/api/42/minidump/")]
    [InlineData("/api/42/envelope/extra")]
    [InlineData("/health")]
    [InlineData("/api/envelope/")]
    [InlineData("/x/42/envelope/")]
    public void Other_paths_are_not_ingest_routes(string path)
    {
        Assert.Null(IngestPathParser.Parse(path));
    }

    [Theory]
    [InlineData("/api/abc/envelope/")]
    [InlineData("/api/-1/store/")]
    [InlineData("/api/4 2/envelope/")]
    [InlineData("/api/18446744073709551616/envelope/")]
    [InlineData("/sentry/api/0x2a/envelope")]
    public void Bad_project_id_is_400(string path)
    {
        Rejection.Assert(() => IngestPathParser.Parse(path), 400, "bad project path parameter", "as a project id");
    }

    [Fact]
    public void Cors_constants_match_relay()
    {
        Assert.Equal("POST", SentryCors.AllowMethods);
        Assert.Equal("x-sentry-error, x-sentry-rate-limits, retry-after", SentryCors.ExposeHeaders);
        Assert.Contains("x-sentry-auth", SentryCors.AllowHeaders);
        Assert.Contains("content-encoding", SentryCors.AllowHeaders);
        Assert.Contains(SentryCors.ResponseHeaders, h => h.Key == "Access-Control-Allow-Origin" && h.Value == "*");
        Assert.Contains(SentryCors.PreflightHeaders, h => h.Key == "Access-Control-Max-Age" && h.Value == "3600");
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Grains.Server.Ingest.Protection;
using Grains.Server.Tests.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;

namespace Grains.Server.Tests.Filters;

/// <summary>The per-client-address guard: token buckets, and Relay's 429 before authentication.</summary>
public sealed class ClientGuardTests(ClientGuardTests.Server server) : IClassFixture<ClientGuardTests.Server>
{
    [Fact]
    public void A_bucket_allows_its_burst_then_refills_at_the_rate()
    {
        var clock = new TickClock();
        var limiter = Limiter(clock, rate: 10, burst: 3, exempt: []);
        var client = IPAddress.Parse("203.0.113.1");

        Assert.True(limiter.TryTake(client, out _));
        Assert.True(limiter.TryTake(client, out _));
        Assert.True(limiter.TryTake(client, out _));
        Assert.False(limiter.TryTake(client, out var retryAfter));
        Assert.Equal(TimeSpan.FromSeconds(0.1), retryAfter);
        Assert.True(limiter.TryTake(IPAddress.Parse("203.0.113.2"), out _)); // another address has its own bucket

        clock.Advance(TimeSpan.FromMilliseconds(100));
        Assert.True(limiter.TryTake(client, out _));
        Assert.False(limiter.TryTake(client, out _));

        clock.Advance(TimeSpan.FromHours(1)); // refills to the burst, not beyond
        for (var i = 0; i < 3; i++)
        {
            Assert.True(limiter.TryTake(client, out _));
        }

        Assert.False(limiter.TryTake(client, out _));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("127.8.9.10", true)]
    [InlineData("::1", true)]
    [InlineData("10.0.0.1", false)]
    [InlineData("192.0.2.9", false)]
    public void Exempt_networks_are_never_limited(string address, bool exempt)
    {
        var limiter = new ClientRateLimiter(Options.Create(new ClientGuardOptions { RequestsPerSecond = 1, Burst = 1 }), new TickClock()); // loopback by default
        var ip = IPAddress.Parse(address);
        Assert.True(limiter.TryTake(ip, out _));
        Assert.Equal(exempt, limiter.TryTake(ip, out _));
    }

    [Fact]
    public void Idle_addresses_are_swept_when_the_table_is_full()
    {
        var clock = new TickClock();
        var limiter = Limiter(clock, rate: 10, burst: 10, exempt: [], maxTracked: 100);
        for (var i = 0; i < 100; i++)
        {
            limiter.TryTake(IPAddress.Parse($"198.51.100.{i}"), out _);
        }

        clock.Advance(TimeSpan.FromSeconds(2));
        limiter.TryTake(IPAddress.Parse("192.0.2.1"), out _);
        Assert.Equal(1, limiter.Tracked);
    }

    [Theory]
    [InlineData(0, 10, 100, "RequestsPerSecond")]
    [InlineData(10, 0.5, 100, "Burst")]
    [InlineData(10, 10, 0, "MaxTrackedAddresses")]
    [InlineData(double.NaN, 10, 100, "RequestsPerSecond")]
    public void Impossible_guard_settings_are_refused(double rate, double burst, int maxTracked, string named)
    {
        var result = new ClientGuardOptionsValidator().Validate(null, new ClientGuardOptions { RequestsPerSecond = rate, Burst = burst, MaxTrackedAddresses = maxTracked });
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("ExemptNetworks:0", new ClientGuardOptionsValidator().Validate(null, new ClientGuardOptions { ExemptNetworks = ["lo"] }).FailureMessage, StringComparison.Ordinal);
        Assert.True(new ClientGuardOptionsValidator().Validate(null, new ClientGuardOptions()).Succeeded);
    }

    [Theory]
    [InlineData("MaxConcurrentConnections")]
    [InlineData("MinRequestBodyDataRate")]
    [InlineData("RequestHeadersTimeout")]
    [InlineData("header limits")]
    public void Impossible_kestrel_limits_are_refused(string named)
    {
        var options = named switch
        {
            "MaxConcurrentConnections" => new KestrelLimitsOptions { MaxConcurrentConnections = 0 },
            "MinRequestBodyDataRate" => new KestrelLimitsOptions { MinRequestBodyDataRate = -1 },
            "RequestHeadersTimeout" => new KestrelLimitsOptions { RequestHeadersTimeout = TimeSpan.Zero },
            _ => new KestrelLimitsOptions { MaxRequestHeadersTotalSize = 100 },
        };
        Assert.Contains(named, new KestrelLimitsOptionsValidator().Validate(null, options).FailureMessage, StringComparison.Ordinal);
        Assert.True(new KestrelLimitsOptionsValidator().Validate(null, new KestrelLimitsOptions()).Succeeded);
    }

    [Fact]
    public async Task Over_its_rate_a_client_gets_429_with_retry_after_before_authentication()
    {
        // Behind the trusted (loopback) proxy each X-Forwarded-For client has its own bucket of 5.
        var statuses = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            using var request = Unauthenticated("203.0.113.50");
            using var response = await server.Anonymous.SendAsync(request);
            statuses.Add((int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.True(long.Parse(response.Headers.RetryAfter!.ToString(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
                Assert.False(response.Headers.Contains("X-Sentry-Rate-Limits"));
                var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.StartsWith("Sentry dropped data due to a quota", body["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            }
        }

        // Before authentication: the bad key is 403 while there are tokens, then the guard answers.
        Assert.Equal([403, 403, 403, 403, 403], statuses.Take(5));
        Assert.All(statuses.Skip(5), s => Assert.Equal(429, s));

        using var other = Unauthenticated("203.0.113.51");
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Anonymous.SendAsync(other)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public void Kestrel_runs_with_the_documented_limits()
    {
        var limits = ((Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IOptions<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>>(server.Services)).Value).Limits;
        Assert.Equal(10_000, limits.MaxConcurrentConnections);
        Assert.Equal(TimeSpan.FromSeconds(15), limits.RequestHeadersTimeout);
        Assert.Equal(32 * 1024, limits.MaxRequestHeadersTotalSize);
        Assert.Equal(240, limits.MinRequestBodyDataRate!.BytesPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(5), limits.MinRequestBodyDataRate.GracePeriod);
    }

    private static HttpRequestMessage Unauthenticated(string client)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/1/envelope/") { Content = new StringContent("{}\n") };
        request.Headers.TryAddWithoutValidation("X-Sentry-Auth", "Sentry sentry_key=00000000000000000000000000000000, sentry_version=7");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", client);
        return request;
    }

    private static ClientRateLimiter Limiter(TimeProvider clock, double rate, double burst, string[] exempt, int maxTracked = 1000) =>
        new(Options.Create(new ClientGuardOptions { RequestsPerSecond = rate, Burst = burst, ExemptLoopback = false, ExemptNetworks = [.. exempt], MaxTrackedAddresses = maxTracked }), clock);

    public sealed class Server : ApiServer
    {
        protected override void Configure(WebApplicationBuilder builder)
        {
            builder.Configuration["Grains:Ingest:TrustedProxies:0"] = "127.0.0.1";
            builder.Configuration["Grains:Ingest:TrustedProxies:1"] = "::1";
            builder.Configuration["Grains:Ingest:ClientGuard:RequestsPerSecond"] = "0.001";
            builder.Configuration["Grains:Ingest:ClientGuard:Burst"] = "5";
            builder.Configuration["Grains:Ingest:ClientGuard:ExemptNetworks:0"] = "192.0.2.0/24";
        }
    }

    private sealed class TickClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => _now += by;

        public override DateTimeOffset GetUtcNow() => _now;
    }
}

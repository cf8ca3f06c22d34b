using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Monitoring.Storage;
using Grains.Server.Ingest.Admission;
using Grains.Server.Seeding;
using Grains.Server.Tests.Ingest;
using Grains.Server.Tests.Storage;
using Grains.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Grains.Server.Tests.RateLimits;

/// <summary>Two silos on one PostgreSQL database (one Orleans cluster) share the key's bucket grain.</summary>
public sealed class TwoSiloBucketTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_key_quota_across_two_silos_admits_at_most_the_limit_plus_one_slice_per_silo()
    {
        const int Limit = 40;
        const int Requests = 160;
        var connectionString = await PostgresTestServer.CreateDatabaseAsync("rl");
        var token = "grains_rl_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var dataA = Path.Combine(Path.GetTempPath(), "grains-server-tests", Guid.NewGuid().ToString("N"));
        var dataB = Path.Combine(Path.GetTempPath(), "grains-server-tests", Guid.NewGuid().ToString("N"));
        var ports = PostgresServer.FreePorts(4);
        var (siloA, urlA) = PostgresServer.Build(connectionString, dataA, Settings(token, ports[0], ports[1]));
        var (siloB, urlB) = PostgresServer.Build(connectionString, dataB, Settings(token, ports[2], ports[3]));
        await using var disposeA = siloA;
        await using var disposeB = siloB;
        try
        {
            await siloA.StartAsync();
            await siloA.Services.GetRequiredService<FirstStartSeeder>().Seeded.WaitAsync(TimeSpan.FromSeconds(60));
            var directory = siloA.Services.GetRequiredService<IDirectoryStore>();
            var organization = (await directory.GetOrganizationAsync("default"))!;
            var project = (await directory.GetProjectAsync(organization.Id, "default"))!;
            var key = Assert.Single(await directory.ListKeysAsync(project.Id));

            using var api = new HttpClient { BaseAddress = new Uri(urlA) };
            api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using (var put = await api.PutAsync($"/api/0/projects/default/default/keys/{key.PublicKey}/",
                new StringContent($"{{\"rateLimit\":{{\"window\":86400,\"count\":{Limit}}}}}", Encoding.UTF8, "application/json")))
            {
                Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            }

            // The second silo starts after the change: a silo learns of a key's change made on another
            // silo only when its cached lookup expires (ProjectKeyCache.Lifetime), which is not what
            // this test is about.
            await siloB.StartAsync();
            await WaitForClusterAsync(siloA);

            using var http = new HttpClient();
            var admitted = new[] { 0, 0 };
            var limited = 0;
            var urls = new[] { urlA, urlB };
            await Parallel.ForEachAsync(Enumerable.Range(0, Requests), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                var silo = i % 2;
                using var request = new HttpRequestMessage(HttpMethod.Post, $"{urls[silo]}/api/{project.Id}/store/")
                {
                    Content = new StringContent(Envelopes.ErrorEvent(Envelopes.NewEventId(), "Error", "flood " + i).ToJsonString(), Encoding.UTF8, "application/json"),
                };
                request.Headers.TryAddWithoutValidation("X-Sentry-Auth", $"Sentry sentry_key={key.PublicKey}, sentry_version=7, sentry_client=grains-tests/1.0");
                using var response = await http.SendAsync(request, ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref admitted[silo]);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                    Assert.Matches("^[0-9]+:default;error;security:key:key_quota$", string.Join(",", response.Headers.GetValues("X-Sentry-Rate-Limits")));
                    Interlocked.Increment(ref limited);
                }
            });

            var slice = RateLimitLeases.SliceSize(Limit, RateLimitOptions.DefaultLeaseDivisor);
            var total = admitted[0] + admitted[1];
            output.WriteLine($"admitted {admitted[0]} + {admitted[1]} = {total} of {Requests}, 429: {limited}, limit {Limit}, slice {slice}");
            Assert.True(total <= Limit + 2 * slice, $"admitted {total} > {Limit} + 2 x {slice}");
            // Each silo alone would admit the whole limit if it counted on its own.
            Assert.True(total >= Limit - 2 * slice, $"admitted only {total}");
            Assert.True(admitted[0] > 0 && admitted[1] > 0, "both silos admitted events");
            Assert.Equal(Requests - total, limited);
        }
        finally
        {
            await siloB.StopAsync();
            await siloA.StopAsync();
            PostgresStorageTests.DeleteQuietly(dataA);
            PostgresStorageTests.DeleteQuietly(dataB);
        }
    }

    // Two silos in one process: each its own silo and gateway port on loopback (four different ports).
    private static Dictionary<string, string?> Settings(string token, int siloPort, int gatewayPort) => new()
    {
        ["Grains:AdminToken"] = token,
        ["Orleans:Endpoints:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans:Endpoints:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Orleans:Endpoints:AdvertisedIPAddress"] = "127.0.0.1",
    };

    private static async Task WaitForClusterAsync(WebApplication a)
    {
        // Both silos must see each other as active before grain placement spans the cluster.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var management = a.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        while ((await management.GetHosts(onlyActive: true)).Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the second silo did not join");
            await Task.Delay(100);
        }
    }
}

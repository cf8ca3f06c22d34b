using System.Net;
using System.Text;
using Grains.Runtime;

namespace Grains.Cluster.Tests;

public sealed class ClusterCallTests : IAsyncLifetime
{
    private TestCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TestCluster.StartAsync(silos: 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Calls_from_every_silo_reach_one_activation_on_the_partition_owner()
    {
        for (var i = 0; i < 24; i++)
        {
            var key = "probe-" + i;
            var answers = await Task.WhenAll(_cluster.Silos.Select(s => s.Grains.GetGrain<IProbeGrain>(key).WhereAsync()));
            Assert.Single(answers.Select(a => a.Activation).Distinct());
            Assert.Single(answers.Select(a => a.Silo).Distinct());
        }

        // Keys spread over partitions owned by different silos, so calls crossed silos.
        var silos = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => _cluster.Silos[0].Grains.GetGrain<IProbeGrain>("probe-" + i).WhereAsync()));
        Assert.Equal(3, silos.Select(s => s.Silo).Distinct().Count());
    }

    [Fact]
    public async Task Concurrent_calls_from_all_silos_are_serialized_by_the_single_activation()
    {
        var tasks = new List<Task<ProbeInfo>>();
        foreach (var silo in _cluster.Silos)
        {
            for (var k = 0; k < 8; k++)
            {
                for (var n = 0; n < 10; n++)
                {
                    tasks.Add(silo.Grains.GetGrain<IProbeGrain>("counter-" + k).IncrementAsync(1));
                }
            }
        }

        await Task.WhenAll(tasks);
        for (var k = 0; k < 8; k++)
        {
            var final = await _cluster.Silos[1].Grains.GetGrain<IProbeGrain>("counter-" + k).WhereAsync();
            Assert.Equal(30, final.Count);
        }
    }

    [Fact]
    public async Task An_exception_crosses_silos_with_its_type_and_message()
    {
        // Find a key owned by another silo than the caller.
        var caller = _cluster.Silos[0];
        string? remoteKey = null;
        for (var i = 0; remoteKey is null && i < 100; i++)
        {
            var where = await caller.Grains.GetGrain<IProbeGrain>("fail-" + i).WhereAsync();
            if (where.Silo != caller.Address)
            {
                remoteKey = "fail-" + i;
            }
        }

        Assert.NotNull(remoteKey);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => caller.Grains.GetGrain<IProbeGrain>(remoteKey!).FailAsync("bad input 42"));
        Assert.Equal("bad input 42", error.Message);
    }

    [Fact]
    public async Task The_internal_port_refuses_a_wrong_secret_and_answers_moved_for_a_partition_it_does_not_own()
    {
        var silo = _cluster.Silos[0];
        using var client = new HttpClient { DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var url = $"http://{silo.Address}/_grains/v1/call";
        var method = typeof(IProbeGrain).FullName + ".WhereAsync()";

        // A grain whose partition another silo owns.
        string? foreignKey = null;
        for (var i = 0; foreignKey is null && i < 200; i++)
        {
            var where = await silo.Grains.GetGrain<IProbeGrain>("moved-" + i).WhereAsync();
            if (where.Silo != silo.Address)
            {
                foreignKey = "moved-" + i;
            }
        }

        var type = GrainTypeOf(silo);
        HttpRequestMessage Call(string? secret) => new(HttpMethod.Post, url)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent($$"""{"type":"{{type}}","key":"{{foreignKey}}","method":"{{method}}","args":[]}""", Encoding.UTF8, "application/json"),
            Headers = { { "Authorization", secret is null ? "Bearer nothing" : "GrainsCluster " + secret } },
        };

        using var wrong = await client.SendAsync(Call("not-the-secret-0000000000"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var missing = await client.SendAsync(Call(null));
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);

        using var moved = await client.SendAsync(Call(TestSilo.Secret));
        Assert.Equal(HttpStatusCode.MisdirectedRequest, moved.StatusCode);
        Assert.Contains("\"epoch\":", await moved.Content.ReadAsStringAsync());

        using var malformed = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent("""{"type":"x","key":"y","method":"No.Such.Method()","args":[]}""", Encoding.UTF8, "application/json"),
            Headers = { { "Authorization", "GrainsCluster " + TestSilo.Secret } },
        };
        using var rejected = await client.SendAsync(malformed);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Contains("No.Such.Method()", await rejected.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_remote_call_carries_the_callers_trace_context()
    {
        var received = new System.Collections.Concurrent.ConcurrentBag<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == Grains.Runtime.Diagnostics.RuntimeInstruments.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "grains.call.receive")
                {
                    received.Add(activity);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        var caller = _cluster.Silos[0];
        using var source = new System.Diagnostics.ActivitySource("test");
        using var testListener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == "test",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(testListener);
        System.Diagnostics.ActivityTraceId traceId;
        using (var root = source.StartActivity("request")!)
        {
            traceId = root.TraceId;
            for (var i = 0; i < 20; i++)
            {
                await caller.Grains.GetGrain<IProbeGrain>("traced-" + i).WhereAsync();
            }
        }

        Assert.Contains(received, activity => activity.TraceId == traceId && activity.Kind == System.Diagnostics.ActivityKind.Server);
    }

    private static string GrainTypeOf(TestSilo silo) =>
        ((GrainReference)(object)silo.Grains.GetGrain<IProbeGrain>("x")).GrainId.Type;
}

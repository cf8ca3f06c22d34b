using Grains.Server.Tests.Api;

namespace Grains.Server.Tests.Accounts;

/// <summary>
/// <c>/api/0/internal/runtime/</c> answers the process's runtime counters to the admin token only: a user's
/// token, even an owner's, gets Sentry's 403; the counters are cumulative, so a second read never goes back.
/// </summary>
public sealed class RuntimeEndpointTests(AccountsServer server) : IClassFixture<AccountsServer>
{
    [Fact]
    public async Task The_admin_token_reads_cumulative_runtime_counters()
    {
        var first = (await server.GetAsync("/api/0/internal/runtime/")).AssertStatus(200).Json!;
        var block = new byte[1 << 20]; // at least this much more is allocated before the second read
        GC.KeepAlive(block);
        var second = (await server.GetAsync("/api/0/internal/runtime/")).AssertStatus(200).Json!;

        Assert.Equal(Environment.ProcessId, second["processId"]!.GetValue<int>());
        Assert.True(second["gc"]!["allocatedBytes"]!.GetValue<long>() >= first["gc"]!["allocatedBytes"]!.GetValue<long>() + (1 << 20));
        Assert.True(second["cpuSeconds"]!.GetValue<double>() >= first["cpuSeconds"]!.GetValue<double>());
        Assert.True(second["jit"]!["compiledMethods"]!.GetValue<long>() > 0);
        Assert.True(second["workingSetBytes"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task A_users_token_is_refused_even_an_owners()
    {
        foreach (var user in new[] { server.Member, server.Owner })
        {
            using var client = await server.TokenClientAsync(user);
            var response = await server.SendAsync(HttpMethod.Get, "/api/0/internal/runtime/", null, client);
            Assert.Equal(403, response.Status);
            Assert.Equal("You do not have permission to perform this action.", response.Detail);
        }
    }
}

using System.Diagnostics;
using System.Runtime;
using System.Text.Json.Nodes;
using Grains.Server.Accounts;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Serialization;

namespace Grains.Server.Api.Internal;

/// <summary>
/// <c>GET /api/0/internal/runtime/</c>: this process's runtime counters — CPU, GC (bytes allocated since start,
/// collections, pause time, heap), JIT, thread pool, memory — for the admin token only (like Sentry's
/// superuser-only <c>/internal/</c> routes). The benchmarks read it before and after a run to report
/// allocations and GC pause per event; every figure is cumulative or current, so two reads give a rate.
/// </summary>
internal static class RuntimeEndpoints
{
    public static void Map(RouteGroupBuilder api) => api.MapGet("/internal/runtime/", Read);

    private static IResult Read(HttpContext http)
    {
        if (!AccountClaims.IsAdminToken(http.User))
        {
            throw new ApiException(StatusCodes.Status403Forbidden, ApiAccess.ForbiddenDetail);
        }

        using var process = Process.GetCurrentProcess();
        var memory = GC.GetGCMemoryInfo();
        var body = new JsonObject
        {
            ["processId"] = Environment.ProcessId,
            ["uptimeSeconds"] = (DateTime.Now - process.StartTime).TotalSeconds,
            ["cpuSeconds"] = process.TotalProcessorTime.TotalSeconds,
            ["workingSetBytes"] = process.WorkingSet64,
            ["peakWorkingSetBytes"] = process.PeakWorkingSet64,
            ["gc"] = new JsonObject
            {
                ["server"] = GCSettings.IsServerGC,
                ["latencyMode"] = GCSettings.LatencyMode.ToString(),
                ["allocatedBytes"] = GC.GetTotalAllocatedBytes(precise: false),
                ["gen0Collections"] = GC.CollectionCount(0),
                ["gen1Collections"] = GC.CollectionCount(1),
                ["gen2Collections"] = GC.CollectionCount(2),
                ["pauseSeconds"] = GC.GetTotalPauseDuration().TotalSeconds,
                ["heapBytes"] = memory.HeapSizeBytes,
                ["committedBytes"] = memory.TotalCommittedBytes,
                ["fragmentedBytes"] = memory.FragmentedBytes,
            },
            ["jit"] = new JsonObject
            {
                ["compiledMethods"] = System.Runtime.JitInfo.GetCompiledMethodCount(),
                ["compiledILBytes"] = System.Runtime.JitInfo.GetCompiledILBytes(),
                ["compilationSeconds"] = System.Runtime.JitInfo.GetCompilationTime().TotalSeconds,
            },
            ["threadPool"] = new JsonObject
            {
                ["threads"] = ThreadPool.ThreadCount,
                ["completedWorkItems"] = ThreadPool.CompletedWorkItemCount,
                ["pendingWorkItems"] = ThreadPool.PendingWorkItemCount,
            },
        };
        return ApiResults.Json(body, ApiJsonContext.Default.JsonObject);
    }
}

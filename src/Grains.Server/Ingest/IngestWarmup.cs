using System.Diagnostics;
using System.Text;
using Grains.Ingestion.Normalization;
using Grains.Monitoring.Pipeline;
using Grains.Monitoring.Pipeline.Steps;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;

namespace Grains.Server.Ingest;

/// <summary>
/// Readies the ingest path before the host starts delivering streams: resolves the DSN keys into the
/// <see cref="ProjectKeyCache"/> and runs one made-up event through the pipeline's computing steps
/// (normalize, group, derive facts, encode; nothing is located, appended or stored).
/// </summary>
/// <remarks>
/// The first event of a process otherwise pays for compiling the pipeline (JIT, the grouping rules,
/// the parameterization expressions) — a few hundred milliseconds alone, several seconds when it runs
/// beside a restart's backlog delivery on a small machine. Hosted services start before the silo's
/// stream delivery does (<c>Silo.StartedAsync</c>), so this cost is paid while the process does
/// nothing else. A failure here is logged and ignored: the first request then pays as before.
/// </remarks>
public sealed class IngestWarmup(
    IDirectoryStore directory,
    ProjectKeyCache keys,
    NormalizeEventStep normalize,
    ComputeGroupingStep group,
    DeriveFactsStep facts,
    EncodeStreamItemStep encode,
    ILogger<IngestWarmup> logger) : IHostedService
{
    /// <summary>The most keys resolved ahead (a large directory is not read whole at start).</summary>
    public const int MaxKeys = 100;

    private const string SampleEvent = """
        {"platform":"node","level":"error","message":"warm-up","tags":{"warm":"up"},"user":{"id":"1"},
         "exception":{"values":[{"type":"Error","value":"warm-up 1234 at 0x1f",
           "stacktrace":{"frames":[{"function":"run","filename":"app.js","lineno":1,"in_app":true}]}}]}}
        """;

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (resolved, sample) = await ResolveKeysAsync(cancellationToken);
            if (sample is not null)
            {
                var context = new EventContext(sample, Encoding.UTF8.GetBytes(SampleEvent), new NormalizationContext(DateTimeOffset.UtcNow));
                foreach (var step in new IEventPipelineStep[] { normalize, group, facts, encode })
                {
                    await step.RunAsync(context, cancellationToken);
                }
            }

            IngestLog.WarmedUp(logger, resolved, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            IngestLog.WarmUpFailed(logger, exception);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Puts up to MaxKeys active keys in the cache; returns how many, and one of them for the sample event.
    private async Task<(int Resolved, ResolvedKey? Sample)> ResolveKeysAsync(CancellationToken cancellationToken)
    {
        ResolvedKey? sample = null;
        var resolved = 0;
        foreach (var organization in await directory.ListOrganizationsAsync(cancellationToken))
        {
            foreach (var project in await directory.ListProjectsAsync(organization.Id, cancellationToken))
            {
                foreach (var key in await directory.ListKeysAsync(project.Id, cancellationToken))
                {
                    if (!key.IsActive)
                    {
                        continue;
                    }

                    if (resolved == MaxKeys)
                    {
                        return (resolved, sample);
                    }

                    var entry = await keys.ResolveAsync(key.PublicKey, cancellationToken);
                    sample ??= entry;
                    resolved++;
                }
            }
        }

        return (resolved, sample);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime;

namespace Grains.Streaming.Tests;

public sealed class OptionsAndMappingTests
{
    public static TheoryData<string, Action<DurableLogStreamOptions>, Action<StreamPullingAgentOptions>, bool> Cases => new()
    {
        { "defaults", _ => { }, _ => { }, true },
        { "QueueCount", o => o.QueueCount = 0, _ => { }, true },
        { "ReadBatchSize", o => o.ReadBatchSize = 0, _ => { }, true },
        { "PullingPeriod", o => o.PullingPeriod = TimeSpan.Zero, _ => { }, true },
        { "CheckpointInterval", o => o.CheckpointInterval = TimeSpan.FromMilliseconds(-1), _ => { }, true },
        { "MaxDeliveryRetryTime", o => o.MaxDeliveryRetryTime = TimeSpan.Zero, _ => { }, true },
        { "BatchContainerBatchSize", _ => { }, a => a.BatchContainerBatchSize = 64, true },
        { "IDurableLog", _ => { }, _ => { }, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_validator_names_what_is_wrong(string problem, Action<DurableLogStreamOptions> options, Action<StreamPullingAgentOptions> agent, bool withLog)
    {
        var services = new ServiceCollection();
        services.AddOptions<DurableLogStreamOptions>("log").Configure(options);
        services.AddOptions<StreamPullingAgentOptions>("log").Configure(a => a.BatchContainerBatchSize = 1).Configure(agent);
        if (withLog)
        {
            services.AddKeyedSingleton<IDurableLog>("log", new MemoryDurableLog());
        }

        var validator = new DurableLogStreamOptionsValidator(services.BuildServiceProvider(), "log");
        if (problem == "defaults")
        {
            validator.ValidateConfiguration();
            return;
        }

        var error = Assert.Throws<OrleansConfigurationException>(validator.ValidateConfiguration);
        Assert.Contains(problem, error.Message);
        Assert.Contains("'log'", error.Message);
    }

    [Fact]
    public void A_streams_partition_never_changes()
    {
        // Pinned values: the partition decides where records are appended, so changing the function
        // would split a stream over two partitions after an upgrade.
        Assert.Equal(
            [2, 28, 38, 0], // checked against an independent FNV-1a 64 (Python)
            new[] { "a", "1:0123456789abcdef", "project-7:deadbeef", "ü" }.Select(key => DurableLogStreamQueueMapper.GetPartition(StreamId.Create("ingest", key), 64)));
    }

    [Fact]
    public void Queue_i_reads_partition_i_and_streams_map_to_the_queue_of_their_partition()
    {
        var mapper = new DurableLogStreamQueueMapper(16, "log");
        Assert.Equal(Enumerable.Range(0, 16), mapper.GetAllQueues().Select(DurableLogStreamQueueMapper.GetPartition));
        for (var i = 0; i < 100; i++)
        {
            var stream = StreamId.Create("ingest", $"key{i}");
            Assert.Equal(mapper.GetPartition(stream), DurableLogStreamQueueMapper.GetPartition(mapper.GetQueueForStream(stream)));
        }
    }
}

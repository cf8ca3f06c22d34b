using Orleans.Runtime;

namespace Grains.Streaming.Tests;

/// <summary>What a log keeps of a record's payload: the array itself only when the whole array was handed over.</summary>
public sealed class LogRecordTests
{
    private static readonly StreamId Stream = StreamId.Create("ns", "k");

    public static TheoryData<string, bool> Cases => new()
    {
        { "whole array, kept by the caller", false },
        { "whole array, handed over", true },
        { "slice at an offset, handed over", false },
        { "prefix of an array, handed over", false },
        { "empty, handed over", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_log_keeps_the_array_only_when_all_of_it_is_handed_over(string name, bool same)
    {
        var array = new byte[] { 1, 2, 3, 4 };
        var record = name switch
        {
            "whole array, kept by the caller" => new LogRecord(0, Stream, array),
            "whole array, handed over" => new LogRecord(0, Stream, array) { PayloadHandedOver = true },
            "slice at an offset, handed over" => new LogRecord(0, Stream, array.AsMemory(1, 3)) { PayloadHandedOver = true },
            "prefix of an array, handed over" => new LogRecord(0, Stream, array.AsMemory(0, 3)) { PayloadHandedOver = true },
            _ => new LogRecord(0, Stream, ReadOnlyMemory<byte>.Empty) { PayloadHandedOver = true },
        };

        var kept = record.PayloadToKeep();

        Assert.Equal(same, ReferenceEquals(array, kept));
        Assert.Equal(record.Payload.ToArray(), kept);
    }
}

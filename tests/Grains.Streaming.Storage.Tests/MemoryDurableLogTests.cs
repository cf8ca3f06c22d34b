namespace Grains.Streaming.Storage.Tests;

/// <summary>The contract on <see cref="MemoryDurableLog"/>, the log of the provider's own tests.</summary>
public sealed class MemoryDurableLogTests : DurableLogContract
{
    private readonly MemoryDurableLog _log = new();

    protected override Task<IDurableLog> CreateLogAsync() => Task.FromResult<IDurableLog>(_log);

    protected override Task<IDurableLog> ReopenAsync() => Task.FromResult<IDurableLog>(_log);
}

using Grains.Runtime.Persistence;

namespace Grains.Runtime.Providers.Tests.Memory;

public sealed class MemoryGrainStorageTests : GrainStorageContractTests
{
    protected override Task<IGrainStorage> CreateStorageAsync() => Task.FromResult<IGrainStorage>(new MemoryGrainStorage());
}

using Grains.Runtime.Reminders;

namespace Grains.Runtime.Providers.Tests.Memory;

public sealed class MemoryReminderTableTests : ReminderTableContractTests
{
    protected override Task<IReminderTable> CreateTableAsync() => Task.FromResult<IReminderTable>(new MemoryReminderTable());
}

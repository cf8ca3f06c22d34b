using Orleans;
using Orleans.Runtime;

namespace Grains.Persistence.Sqlite.Tests;

/// <summary>State of <see cref="CounterGrain"/> (also the state type of the direct storage tests).</summary>
[GenerateSerializer, Alias("Grains.Persistence.Sqlite.Tests.CounterState")]
public sealed class CounterState
{
    [Id(0)] public int Value { get; set; }

    [Id(1)] public int Ticks { get; set; }

    [Id(2)] public string Note { get; set; } = "";
}

/// <summary>A grain with persistent state on the default (SQLite) storage and a durable reminder.</summary>
[Alias("Grains.Persistence.Sqlite.Tests.ICounterGrain")]
public interface ICounterGrain : IGrainWithStringKey
{
    [Alias("Increment")] Task<int> Increment();

    [Alias("Get")] Task<CounterState> Get();

    [Alias("StartTicking")] Task StartTicking(TimeSpan dueTime, TimeSpan period);
}

/// <summary>Counts and persists each reminder tick, so a test sees ticks that happened without any call.</summary>
public sealed class CounterGrain([PersistentState("counter")] IPersistentState<CounterState> state) : Grain, ICounterGrain, IRemindable
{
    public const string ReminderName = "tick";

    public async Task<int> Increment()
    {
        state.State.Value++;
        await state.WriteStateAsync();
        return state.State.Value;
    }

    public Task<CounterState> Get() => Task.FromResult(state.State);

    public async Task StartTicking(TimeSpan dueTime, TimeSpan period) => await this.RegisterOrUpdateReminder(ReminderName, dueTime, period);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks++;
        await state.WriteStateAsync();
    }
}

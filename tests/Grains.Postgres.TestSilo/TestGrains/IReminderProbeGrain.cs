namespace Grains.Postgres.TestSilo.TestGrains;

/// <summary>Registers a durable reminder; its ticks are recorded in <see cref="ReminderTicks"/>.</summary>
[Alias("Grains.Postgres.Tests.IReminderProbeGrain")]
public interface IReminderProbeGrain : IGrainWithStringKey
{
    [Alias("Register")]
    Task RegisterAsync(string reminder, TimeSpan dueTime, TimeSpan period);
}

namespace Grains.Postgres.TestSilo.TestGrains;

public sealed class ReminderProbeGrain(ILocalSiloDetails silo) : Grain, IReminderProbeGrain, IRemindable
{
    public async Task RegisterAsync(string reminder, TimeSpan dueTime, TimeSpan period) =>
        await this.RegisterOrUpdateReminder(reminder, dueTime, period);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ReminderTicks.All.Enqueue(new ReminderTick(this.GetPrimaryKeyString(), reminderName, silo.SiloAddress));
        return Task.CompletedTask;
    }
}

namespace Grains.Postgres.TestSilo.TestGrains;

/// <summary>A reminder tick as the test sees it: which grain, which reminder, on which silo.</summary>
public sealed record ReminderTick(string Grain, string Reminder, SiloAddress Silo);

namespace Grains.Server.Seeding;

/// <summary>Seeds organization <c>default</c>, project <c>default</c>, a DSN key and an admin token on first start.</summary>
public sealed class FirstStartSeeder : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

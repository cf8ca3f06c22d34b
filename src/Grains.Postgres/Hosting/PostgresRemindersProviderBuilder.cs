using Grains.Postgres.Hosting;
using Microsoft.Extensions.Configuration;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;

[assembly: RegisterProvider(PostgresProviderConfiguration.ProviderType, "Reminders", "Silo", typeof(PostgresRemindersProviderBuilder))]

namespace Grains.Postgres.Hosting;

/// <summary>Lets configuration pick <see cref="PostgresSiloBuilderExtensions.UsePostgresReminderService"/> (<c>Orleans:Reminders:ProviderType = Postgres</c>).</summary>
internal sealed class PostgresRemindersProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection)
    {
        PostgresProviderConfiguration.Bind(builder.Services, configurationSection);
        builder.UsePostgresReminderService();
    }
}

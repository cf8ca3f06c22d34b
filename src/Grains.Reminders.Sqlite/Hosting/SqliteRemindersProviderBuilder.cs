using Grains.Reminders.Sqlite.Hosting;
using Grains.Sqlite;
using Microsoft.Extensions.Configuration;
using Orleans;
using Orleans.Hosting;
using Orleans.Providers;

// Lets configuration choose the reminder table: Orleans:Reminders:ProviderType = "Sqlite".
[assembly: RegisterProvider("Sqlite", "Reminders", "Silo", typeof(SqliteRemindersProviderBuilder))]

namespace Grains.Reminders.Sqlite.Hosting;

/// <summary>
/// Uses <see cref="SqliteReminderTable"/> when configuration names the <c>Sqlite</c> reminder
/// provider; an optional <c>DataSource</c> in the section sets the shared database's file.
/// </summary>
internal sealed class SqliteRemindersProviderBuilder : IProviderBuilder<ISiloBuilder>
{
    public void Configure(ISiloBuilder builder, string? name, IConfigurationSection configurationSection)
    {
        var dataSource = configurationSection[nameof(SqliteStorageOptions.DataSource)];
        builder.UseSqliteReminderService(string.IsNullOrWhiteSpace(dataSource) ? null : o => o.DataSource = dataSource);
    }
}

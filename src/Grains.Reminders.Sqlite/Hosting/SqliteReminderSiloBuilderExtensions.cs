using Grains.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;

namespace Grains.Reminders.Sqlite.Hosting;

/// <summary>Uses <see cref="SqliteReminderTable"/> as a silo's reminder table.</summary>
public static class SqliteReminderSiloBuilderExtensions
{
    /// <summary>
    /// Adds Orleans' reminder service with its table in the process's shared SQLite database
    /// (registered here if nothing registered it before).
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="configureDatabase">
    /// Sets the shared database's options, if given. They are the same options every SQLite provider
    /// of the process uses (one file, one writer): configure them in one place.
    /// </param>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, Action<SqliteStorageOptions>? configureDatabase = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddGrainsSqliteDatabase(configureDatabase);
        builder.AddReminders();
        services.AddSingleton<IReminderTable, SqliteReminderTable>();
        services.AddTransient<IConfigurationValidator>(sp => new SqliteReminderTableValidator(sp.GetRequiredService<IOptions<SqliteStorageOptions>>().Value));
        return builder;
    }
}

using Grains.Sqlite;
using Orleans.Runtime;

namespace Grains.Reminders.Sqlite.Hosting;

/// <summary>
/// Checks the shared database options the reminder table writes through when the silo starts, so a
/// bad value fails the start instead of the first reminder registration.
/// </summary>
/// <param name="options">The shared database's options.</param>
public sealed class SqliteReminderTableValidator(SqliteStorageOptions options) : IConfigurationValidator
{
    /// <inheritdoc />
    public void ValidateConfiguration()
    {
        if (SqliteStorageOptionsChecks.Find(options) is { } problem)
        {
            throw new OrleansConfigurationException($"SQLite reminder table: {problem}");
        }
    }
}

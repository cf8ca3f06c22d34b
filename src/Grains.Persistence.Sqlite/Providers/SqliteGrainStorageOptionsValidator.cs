using Grains.Sqlite;
using Orleans;
using Orleans.Runtime;

namespace Grains.Persistence.Sqlite;

/// <summary>
/// Checks a <see cref="SqliteGrainStorage"/>'s options, and the shared database options it depends
/// on, when the silo starts, so a bad value fails the start instead of the first grain activation.
/// </summary>
/// <param name="options">The provider's options.</param>
/// <param name="database">The shared database's options.</param>
/// <param name="name">The provider's name (for the message).</param>
public sealed class SqliteGrainStorageOptionsValidator(SqliteGrainStorageOptions options, SqliteStorageOptions database, string name) : IConfigurationValidator
{
    /// <inheritdoc />
    public void ValidateConfiguration()
    {
        if (options.GrainStorageSerializer is null)
        {
            throw new OrleansConfigurationException($"SQLite grain storage '{name}': {nameof(SqliteGrainStorageOptions.GrainStorageSerializer)} is not set.");
        }

        var problem = SqliteStorageOptionsChecks.Find(database);
        if (problem is not null)
        {
            throw new OrleansConfigurationException($"SQLite grain storage '{name}': {problem}");
        }
    }
}

using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Grains.Postgres;

/// <summary>
/// Checks <see cref="PostgresStorageOptions"/> when a silo starts, so a missing connection string or
/// an impossible value fails the start with a message that names the option, not the first append
/// with an error from inside the log.
/// </summary>
public sealed class PostgresStorageOptionsValidator(IOptions<PostgresStorageOptions> options) : IConfigurationValidator
{
    /// <inheritdoc />
    /// <exception cref="OrleansConfigurationException">An option is missing or out of range.</exception>
    public void ValidateConfiguration()
    {
        var o = options.Value;
        const string Prefix = nameof(PostgresStorageOptions) + ".";
        PostgresConnectionStringCheck.Validate(o.ConnectionString, Prefix + nameof(o.ConnectionString));

        if (o.MaxAppendBatch < 1)
        {
            throw new OrleansConfigurationException($"{Prefix}{nameof(o.MaxAppendBatch)} must be at least 1 (was {o.MaxAppendBatch}).");
        }

        if (o.MigrationTimeout <= TimeSpan.Zero || o.MigrationTimeout.TotalSeconds > int.MaxValue)
        {
            throw new OrleansConfigurationException($"{Prefix}{nameof(o.MigrationTimeout)} must be positive (was {o.MigrationTimeout}).");
        }
    }
}

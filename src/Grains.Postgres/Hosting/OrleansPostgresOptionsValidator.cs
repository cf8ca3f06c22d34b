using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;

namespace Grains.Postgres.Hosting;

/// <summary>
/// Checks <see cref="OrleansPostgresOptions"/> when the silo starts, so a missing connection string
/// or an impossible timing fails the start with a message that names the option, not later with a
/// database error from inside a provider.
/// </summary>
public sealed class OrleansPostgresOptionsValidator(IOptions<OrleansPostgresOptions> options) : IConfigurationValidator
{
    /// <inheritdoc />
    /// <exception cref="OrleansConfigurationException">An option is missing or out of range.</exception>
    public void ValidateConfiguration()
    {
        var o = options.Value;
        const string Prefix = nameof(OrleansPostgresOptions) + ".";
        PostgresConnectionStringCheck.Validate(o.ConnectionString, Prefix + nameof(o.ConnectionString));

        Positive(o.MigrationTimeout, nameof(o.MigrationTimeout));
        Positive(o.ProbeTimeout, nameof(o.ProbeTimeout));
        Positive(o.TableRefreshTimeout, nameof(o.TableRefreshTimeout));
        Positive(o.IAmAliveTablePublishTimeout, nameof(o.IAmAliveTablePublishTimeout));
        if (o.NumMissedProbesLimit < 1)
        {
            throw new OrleansConfigurationException($"{Prefix}{nameof(o.NumMissedProbesLimit)} must be at least 1 (was {o.NumMissedProbesLimit}).");
        }

        if (o.NumVotesForDeathDeclaration < 1)
        {
            throw new OrleansConfigurationException($"{Prefix}{nameof(o.NumVotesForDeathDeclaration)} must be at least 1 (was {o.NumVotesForDeathDeclaration}).");
        }

        static void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero || value.TotalSeconds > int.MaxValue)
            {
                throw new OrleansConfigurationException($"{Prefix}{name} must be positive (was {value}).");
            }
        }
    }
}

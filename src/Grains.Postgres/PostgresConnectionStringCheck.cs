using Npgsql;
using Orleans.Runtime;

namespace Grains.Postgres;

/// <summary>The connection-string check every PostgreSQL options validator of Grains makes.</summary>
internal static class PostgresConnectionStringCheck
{
    /// <summary>Throws when <paramref name="connectionString"/> is missing or does not parse; the message names the option, never the string (it may hold a password).</summary>
    /// <exception cref="OrleansConfigurationException">Missing or malformed.</exception>
    public static void Validate(string? connectionString, string optionName)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new OrleansConfigurationException(optionName + " is required (Host=...;Port=...;Username=...;Database=...).");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            throw new OrleansConfigurationException($"{optionName} is malformed: {exception.Message}");
        }
    }
}

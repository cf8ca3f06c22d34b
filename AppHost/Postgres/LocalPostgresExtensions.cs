using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Grains.AppHost.Postgres;

/// <summary>
/// PostgreSQL from this machine's binaries as an Aspire executable resource (Aspire's own PostgreSQL
/// integration is a container, and this machine may have no container runtime).
/// </summary>
public static class LocalPostgresExtensions
{
    /// <summary>The silos' database (created by the readiness check when missing).</summary>
    public const string DatabaseName = "grains";

    /// <summary>
    /// Adds the server <paramref name="name"/> on 127.0.0.1:<paramref name="port"/> over the prepared
    /// <paramref name="directory"/> (as its owner, never as root; no Unix socket), healthy once it accepts
    /// connections and the database <see cref="DatabaseName"/> exists, and the connection string
    /// resource <paramref name="connectionName"/> of that database.
    /// </summary>
    public static (IResourceBuilder<ExecutableResource> Server, IResourceBuilder<ConnectionStringResource> Database) AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, string connectionName, PostgresDataDirectory directory, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(directory);
        var (file, arguments) = directory.AsOwner(
            directory.Binaries.Postgres,
            ["-D", directory.DataDirectory, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
             "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=400"]);
        var healthCheck = $"{name}-ready";
        var connectionString = ConnectionString(port, DatabaseName);
        builder.Services.AddHealthChecks().AddAsyncCheck(healthCheck, cancellationToken => CheckReadyAsync(port, cancellationToken));
        var server = builder.AddExecutable(name, file, directory.Directory, [.. arguments]).WithHealthCheck(healthCheck);
        var database = builder.AddConnectionString(connectionName, ReferenceExpression.Create($"{connectionString}"));
        return (server, database);
    }

    /// <summary>The Npgsql connection string of <paramref name="database"/> on the local server.</summary>
    public static string ConnectionString(int port, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = PostgresDataDirectory.UserName,
        Database = database,
    }.ConnectionString;

    private static async Task<HealthCheckResult> CheckReadyAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            var admin = new NpgsqlConnectionStringBuilder(ConnectionString(port, "postgres")) { Pooling = false, Timeout = 3 }.ConnectionString;
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync(cancellationToken);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            exists.Parameters.AddWithValue("name", DatabaseName);
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{DatabaseName}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL on 127.0.0.1:{port} does not accept connections yet: {exception.Message}");
        }
    }
}

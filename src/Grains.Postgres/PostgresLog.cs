using Microsoft.Extensions.Logging;

namespace Grains.Postgres;

/// <summary>
/// The log messages of the shared PostgreSQL plumbing (source-generated so disabled levels cost
/// nothing). Endpoints are logged as host:port/database and user, never as the connection string.
/// </summary>
internal static partial class PostgresLog
{
    [LoggerMessage(1, LogLevel.Information, "Applied PostgreSQL schema migration {Component} {Version}: {Description}")]
    public static partial void MigrationApplied(ILogger logger, string component, int version, string description);

    [LoggerMessage(2, LogLevel.Information, "PostgreSQL schema of {Component} is at version {Version} in {Endpoint} ({Applied} applied by this run)")]
    public static partial void SchemaReady(ILogger logger, string component, int version, string endpoint, int applied);

    [LoggerMessage(3, LogLevel.Error, "PostgreSQL schema migration of {Component} failed in {Endpoint}; nothing of the run was kept")]
    public static partial void MigrationFailed(ILogger logger, Exception exception, string component, string endpoint);

    [LoggerMessage(4, LogLevel.Debug, "Created the PostgreSQL connection pool for {Endpoint}")]
    public static partial void Created(ILogger logger, string endpoint);

    [LoggerMessage(5, LogLevel.Warning, "Could not connect to PostgreSQL at {Endpoint}")]
    public static partial void ConnectFailed(ILogger logger, Exception exception, string endpoint);

    [LoggerMessage(6, LogLevel.Information, "Closed the PostgreSQL connection pool for {Endpoint}")]
    public static partial void Closed(ILogger logger, string endpoint);

    [LoggerMessage(7, LogLevel.Warning, "PostgreSQL operation {Kind} failed on {Endpoint}")]
    public static partial void OperationFailed(ILogger logger, Exception exception, string kind, string endpoint);
}

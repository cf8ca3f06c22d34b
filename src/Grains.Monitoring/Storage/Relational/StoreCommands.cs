using System.Data.Common;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// How one backend runs the statements the relational stores share: its connections, transactions,
/// batching and prepared-statement caching. The stores hold the SQL, paging and row mapping once, over
/// this; a backend keeps only this plumbing and its DDL.
/// </summary>
public abstract class StoreCommands
{
    /// <summary>The spellings of this backend's SQL where the shared statements differ.</summary>
    public abstract SqlDialect Dialect { get; }

    /// <summary>The rows a read returns, each mapped by <paramref name="map"/>.</summary>
    public abstract Task<List<T>> QueryAsync<T>(SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken);

    /// <summary>The first column of the first row a read returns (null when there is no row, or it is NULL).</summary>
    public abstract Task<object?> ScalarAsync(SqlStatement statement, CancellationToken cancellationToken);

    /// <summary>
    /// Runs several reads together — on one connection, and on a backend that batches statements in one
    /// round trip — calling <paramref name="row"/> with the statement's index for every row each returns, in order.
    /// </summary>
    public abstract Task ReadEachAsync(IReadOnlyList<SqlStatement> statements, Action<int, DbDataReader> row, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one changing statement that returns a value (<c>RETURNING</c>): the first column of its first row, or null.
    /// <paramref name="kind"/> names the write in the backend's logs and metrics (e.g. <c>directory.project.create</c>).
    /// </summary>
    public abstract Task<object?> WriteScalarAsync(string kind, SqlStatement statement, CancellationToken cancellationToken);

    /// <summary>
    /// Runs one changing statement that returns rows (<c>UPDATE … RETURNING</c>), each mapped by <paramref name="map"/>.
    /// <paramref name="kind"/> names the write in the backend's logs and metrics.
    /// </summary>
    public abstract Task<List<T>> WriteQueryAsync<T>(string kind, SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken);

    /// <summary>
    /// Runs <paramref name="statements"/> in order in one transaction (all or none); the rows each changed.
    /// When <paramref name="guarded"/> and the first changes no row, the others do not run (their counts are 0):
    /// an idempotency key inserted first makes a retried write change nothing. <paramref name="kind"/> names the
    /// write in the backend's logs and metrics.
    /// </summary>
    public abstract Task<int[]> WriteAsync(string kind, IReadOnlyList<SqlStatement> statements, bool guarded, CancellationToken cancellationToken);

    /// <summary>Whether <paramref name="exception"/> is this backend's unique-constraint violation.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>Runs one changing statement; the rows it changed.</summary>
    public async Task<int> ExecuteAsync(string kind, SqlStatement statement, CancellationToken cancellationToken) =>
        (await WriteAsync(kind, [statement], guarded: false, cancellationToken).ConfigureAwait(false))[0];

    /// <summary>The first row a changing statement returns, mapped, or null.</summary>
    public async Task<T?> WriteOneAsync<T>(string kind, SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class =>
        (await WriteQueryAsync(kind, statement, map, cancellationToken).ConfigureAwait(false)) is [var first, ..] ? first : null;

    /// <summary>The first row a read returns, mapped, or null.</summary>
    public async Task<T?> QueryOneAsync<T>(SqlStatement statement, Func<DbDataReader, T> map, CancellationToken cancellationToken)
        where T : class =>
        (await QueryAsync(statement, map, cancellationToken).ConfigureAwait(false)) is [var first, ..] ? first : null;
}

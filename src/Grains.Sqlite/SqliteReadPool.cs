namespace Grains.Sqlite;

/// <summary>
/// Idle read connections for reuse. WAL lets readers run beside the single writer, each on its own
/// connection and snapshot; reusing connections keeps their prepared statements.
/// </summary>
internal sealed class SqliteReadPool : IDisposable
{
    private readonly Lock _lock = new();
    private readonly Stack<SqliteCommandCache> _idle = new();
    private readonly Func<SqliteCommandCache> _open;
    private readonly int _maxIdle;
    private bool _disposed;

    public SqliteReadPool(Func<SqliteCommandCache> open, int maxIdle)
    {
        _open = open;
        _maxIdle = maxIdle;
    }

    public SqliteCommandCache Rent()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_idle.TryPop(out var session))
            {
                return session;
            }
        }

        return _open();
    }

    public void Return(SqliteCommandCache session)
    {
        lock (_lock)
        {
            if (!_disposed && _idle.Count < _maxIdle)
            {
                _idle.Push(session);
                return;
            }
        }

        session.Dispose();
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            while (_idle.TryPop(out var session))
            {
                session.Dispose();
            }
        }
    }
}

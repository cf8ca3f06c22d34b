using Grains.Runtime.Sqlite;
using Grains.Sqlite;

namespace Grains.Runtime.Providers.Tests.Sqlite;

/// <summary>A write operation whose body the test supplies, to reach the writer's transaction directly.</summary>
internal sealed class TestWriteOperation(Action<SqliteWriteContext> execute) : SqliteWriteOperation<bool>
{
    public override string Kind => "test";

    /// <summary>An operation that blocks the writer inside its transaction until <see cref="Release"/> is set.</summary>
    public static TestWriteOperation Blocker(ManualResetEventSlim entered, ManualResetEventSlim release, Action<SqliteWriteContext>? before = null) =>
        new(context =>
        {
            before?.Invoke(context);
            entered.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });

    protected override bool ExecuteCore(SqliteWriteContext context)
    {
        execute(context);
        return true;
    }
}

namespace Grains.Postgres.Tests;

/// <summary><see cref="PostgresGroupCommit{T}"/> without a database: grouping, failure and cancellation.</summary>
public sealed class PostgresGroupCommitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Calls_queued_while_a_group_commits_go_out_together_in_call_order()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var groups = new List<int[]>();
        var committer = new PostgresGroupCommit<int>(async group =>
        {
            lock (groups)
            {
                groups.Add([.. group]);
            }

            if (group[0] == 0)
            {
                entered.SetResult();
                await release.Task; // the first group holds the next ones in the queue
            }
        }, static _ => 1, static () => 100);

        var first = committer.CommitAsync(0);
        await entered.Task.WaitAsync(Timeout);
        var queued = Enumerable.Range(1, 50).Select(i => committer.CommitAsync(i)).ToArray();
        release.SetResult();
        await first.WaitAsync(Timeout);
        await Task.WhenAll(queued).WaitAsync(Timeout);

        Assert.Equal([[0], [.. Enumerable.Range(1, 50)]], groups);
    }

    [Fact]
    public async Task A_group_is_cut_at_the_size_limit_and_a_larger_call_goes_alone()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var groups = new List<int[]>();
        var committer = new PostgresGroupCommit<int>(async group =>
        {
            groups.Add([.. group]);
            if (group[0] == 0)
            {
                entered.SetResult();
                await release.Task;
            }
        }, static size => size, static () => 10);

        var head = committer.CommitAsync(0);
        await entered.Task.WaitAsync(Timeout);
        var calls = new[] { head, committer.CommitAsync(4), committer.CommitAsync(5), committer.CommitAsync(2), committer.CommitAsync(30), committer.CommitAsync(1) };
        release.SetResult();
        await Task.WhenAll(calls).WaitAsync(Timeout);

        Assert.Equal([[0], [4, 5], [2], [30], [1]], groups);
    }

    [Fact]
    public async Task A_failed_group_fails_every_call_in_it_and_the_next_group_still_commits()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var committer = new PostgresGroupCommit<int>(async group =>
        {
            if (group[0] == 0)
            {
                entered.SetResult();
                await release.Task;
            }

            if (group.Contains(-1))
            {
                throw new InvalidOperationException("bad statement");
            }
        }, static _ => 1, static () => 100);

        var first = committer.CommitAsync(0);
        await entered.Task.WaitAsync(Timeout);
        var failing = new[] { committer.CommitAsync(1), committer.CommitAsync(-1), committer.CommitAsync(2) };
        release.SetResult();
        await first.WaitAsync(Timeout);
        foreach (var call in failing)
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => call.WaitAsync(Timeout));
            Assert.Equal("bad statement", error.Message);
        }

        await committer.CommitAsync(3).WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_call_cancelled_while_queued_is_left_out_of_its_group()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var committed = new List<int>();
        var committer = new PostgresGroupCommit<int>(async group =>
        {
            committed.AddRange(group);
            if (group[0] == 0)
            {
                entered.SetResult();
                await release.Task;
            }
        }, static _ => 1, static () => 100);

        using var cancel = new CancellationTokenSource();
        var first = committer.CommitAsync(0);
        await entered.Task.WaitAsync(Timeout);
        var cancelled = committer.CommitAsync(1, cancel.Token);
        var kept = committer.CommitAsync(2);
        await cancel.CancelAsync();
        release.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(Timeout));
        await Task.WhenAll(first, kept).WaitAsync(Timeout);
        Assert.Equal([0, 2], committed);
        Assert.True(committer.CommitAsync(3, cancel.Token).IsCanceled); // already cancelled: never queued
    }
}

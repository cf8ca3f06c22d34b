namespace Grains.Monitoring.Issues.Workflow;

/// <summary>One bucket of <see cref="IssueRates"/>: its events and (capped) distinct users.</summary>
[GenerateSerializer, Alias("Grains.Monitoring.RateBucket")]
public sealed class RateBucket
{
    [Id(0)]
    public long Events { get; set; }

    /// <summary>Hashes of the bucket's distinct users, at most <see cref="IssueRates.UsersPerBucket"/>; null once dropped.</summary>
    [Id(1)]
    public HashSet<ulong>? Users { get; set; }

    /// <summary>Users counted beyond the set (cap reached, or the set dropped with age).</summary>
    [Id(2)]
    public long ExtraUsers { get; set; }

    /// <summary>Counts an event and its user (null: no user).</summary>
    public void Add(ulong? user)
    {
        Events++;
        if (user is not { } hash)
        {
            return;
        }

        if (Users is null)
        {
            if (ExtraUsers == 0)
            {
                Users = [hash];
            }
            else
            {
                ExtraUsers++;
            }

            return;
        }

        if (Users.Contains(hash))
        {
            return;
        }

        if (Users.Count < IssueRates.UsersPerBucket)
        {
            Users.Add(hash);
        }
        else
        {
            ExtraUsers++;
        }
    }

    /// <summary>Keeps only the number of users (old buckets).</summary>
    public void DropUsers()
    {
        if (Users is not null)
        {
            ExtraUsers += Users.Count;
            Users = null;
        }
    }
}

using Grains.Monitoring.Outcomes;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// The statements of the outcome stores, portable between SQLite and PostgreSQL. In the tables an
/// absent reason or key is <c>''</c> (both are in the primary key, which PostgreSQL keeps non-null).
/// </summary>
public static class OutcomeSql
{
    /// <summary>How long a written batch id is kept: far longer than any retried flush waits.</summary>
    public static readonly TimeSpan BatchIdRetention = TimeSpan.FromDays(1);

    public const string InsertBatch = """
        INSERT INTO outcome_batches (batch_id, written) VALUES (@batch_id, @written)
        ON CONFLICT (batch_id) DO NOTHING
        """;

    public const string PruneBatches = "DELETE FROM outcome_batches WHERE written < @cutoff";

    public const string AddCounts = """
        INSERT INTO outcomes_hourly (organization_id, hour_start, project_id, category, outcome, reason, key_id, quantity, times_seen)
        VALUES (@organization_id, @hour_start, @project_id, @category, @outcome, @reason, @key_id, @quantity, @times_seen)
        ON CONFLICT (organization_id, hour_start, project_id, category, outcome, reason, key_id)
        DO UPDATE SET quantity = outcomes_hourly.quantity + excluded.quantity, times_seen = outcomes_hourly.times_seen + excluded.times_seen
        """;

    private const string SelectColumns = """
        SELECT organization_id, project_id, hour_start, category, outcome, reason, SUM(quantity), SUM(times_seen)
        FROM outcomes_hourly
        """;

    private const string GroupBy = " GROUP BY organization_id, project_id, hour_start, category, outcome, reason ORDER BY hour_start, project_id";

    public const string SelectOrganization = SelectColumns + " WHERE organization_id = @organization_id AND hour_start >= @from AND hour_start < @to" + GroupBy;

    public const string SelectAll = SelectColumns + " WHERE hour_start >= @from AND hour_start < @to" + GroupBy;

    /// <summary>
    /// Moves the accepted counts of <c>project_outcomes</c> (which only ever held accepted items) into
    /// <c>outcomes_hourly</c> (monitoring version 3, migrated first) and drops it. The old table kept no
    /// count of items per row: an attachment's bytes count as one recorded outcome, others one per item.
    /// The items component's version 3 on both backends.
    /// </summary>
    public const string MoveItemOutcomes = """
        INSERT INTO outcomes_hourly (organization_id, hour_start, project_id, category, outcome, reason, key_id, quantity, times_seen)
        SELECT p.organization_id, o.hour_start, o.project_id, o.category, 0, '', '', o.quantity,
               CASE WHEN o.category = 'attachment' THEN 1 ELSE o.quantity END
        FROM project_outcomes o JOIN projects p ON p.id = o.project_id
        WHERE o.outcome = 'accepted'
        ON CONFLICT (organization_id, hour_start, project_id, category, outcome, reason, key_id)
        DO UPDATE SET quantity = outcomes_hourly.quantity + excluded.quantity, times_seen = outcomes_hourly.times_seen + excluded.times_seen;
        DROP TABLE project_outcomes;
        """;

    /// <summary>Records a batch id (no row when it was written before: the batch is a retry).</summary>
    public static SqlStatement Batch(Guid batchId, DateTimeOffset now) =>
        new(InsertBatch, [("@batch_id", batchId.ToString("N")), ("@written", StoreTime.ToMicroseconds(now))]);

    /// <summary>Forgets the batch ids older than <see cref="BatchIdRetention"/>.</summary>
    public static SqlStatement Prune(DateTimeOffset now) => new(PruneBatches, [("@cutoff", StoreTime.ToMicroseconds(now - BatchIdRetention))]);

    /// <summary>Adds a row's counts to its hour.</summary>
    public static SqlStatement Counts(OutcomeRow row) => new(AddCounts,
    [
        ("@organization_id", row.OrganizationId), ("@hour_start", row.HourStart), ("@project_id", row.ProjectId), ("@category", row.Category),
        ("@outcome", (long)row.Outcome), ("@reason", row.Reason ?? ""), ("@key_id", row.PublicKey ?? ""), ("@quantity", row.Quantity),
        ("@times_seen", row.TimesSeen),
    ]);

    /// <summary>The summed rows of <paramref name="organizationId"/> (or of all) in [<paramref name="fromHour"/>, <paramref name="toHour"/>).</summary>
    public static SqlStatement Select(long? organizationId, long fromHour, long toHour) => organizationId is { } organization
        ? new(SelectOrganization, [("@organization_id", organization), ("@from", fromHour), ("@to", toHour)])
        : new(SelectAll, [("@from", fromHour), ("@to", toHour)]);

    /// <summary>The rows in primary-key order, so concurrent writers (silos) lock shared rows in one order and never deadlock.</summary>
    public static OutcomeRow[] InKeyOrder(IReadOnlyList<OutcomeRow> rows)
    {
        var sorted = rows.ToArray();
        Array.Sort(sorted, static (a, b) =>
        {
            var c = a.OrganizationId.CompareTo(b.OrganizationId);
            c = c != 0 ? c : a.HourStart.CompareTo(b.HourStart);
            c = c != 0 ? c : a.ProjectId.CompareTo(b.ProjectId);
            c = c != 0 ? c : string.CompareOrdinal(a.Category, b.Category);
            c = c != 0 ? c : ((int)a.Outcome).CompareTo((int)b.Outcome);
            c = c != 0 ? c : string.CompareOrdinal(a.Reason ?? "", b.Reason ?? "");
            return c != 0 ? c : string.CompareOrdinal(a.PublicKey ?? "", b.PublicKey ?? "");
        });
        return sorted;
    }

    /// <summary>A summed row as read (key summed away).</summary>
    public static OutcomeRow Read(System.Data.Common.DbDataReader reader)
    {
        var reason = reader.GetString(5);
        return new OutcomeRow(
            reader.GetInt64(0), reader.GetInt64(1), null, reader.GetInt64(2), reader.GetString(3), (OutcomeKind)reader.GetInt64(4),
            reason.Length == 0 ? null : reason, Convert.ToInt64(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture),
            Convert.ToInt64(reader.GetValue(7), System.Globalization.CultureInfo.InvariantCulture));
    }
}

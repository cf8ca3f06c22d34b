using System.Data.Common;
using System.Text.Json;
using Grains.Monitoring.Alerts;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>The statements of the alert outbox stores (<c>alert_firings</c>, <c>alert_deliveries</c>), portable between SQLite and PostgreSQL.</summary>
public static class AlertOutboxSql
{
    public const string InsertFiring = """
        INSERT INTO alert_firings (id, project_id, issue_id, rule_id, rule_label, event_id, fired_at, actions_json, reasons_json, recorded, expanded)
        VALUES (@id, @project_id, @issue_id, @rule_id, @rule_label, @event_id, @fired_at, @actions_json, @reasons_json, @recorded, 0)
        ON CONFLICT (id) DO NOTHING
        """;

    private const string FiringColumns = "SELECT id, project_id, issue_id, rule_id, rule_label, event_id, fired_at, actions_json, reasons_json FROM alert_firings";

    public const string SelectFiring = FiringColumns + " WHERE id = @id";

    public const string SelectUnexpanded = FiringColumns + " WHERE expanded = 0 AND project_id = @project_id ORDER BY recorded, id LIMIT @limit";

    public const string InsertDelivery = """
        INSERT INTO alert_deliveries (id, firing_id, project_id, kind, target, status, attempts, next_attempt, last_error, last_status, fired_at, created, delivered)
        VALUES (@id, @firing_id, @project_id, @kind, @target, @status, @attempts, @next_attempt, NULL, NULL, @fired_at, @created, NULL)
        ON CONFLICT (id) DO NOTHING
        """;

    public const string MarkExpanded = "UPDATE alert_firings SET expanded = 1 WHERE id = @id";

    private const string DeliveryColumns = "SELECT id, firing_id, project_id, kind, target, status, attempts, next_attempt, last_error, last_status, fired_at, created, delivered FROM alert_deliveries";

    public const string SelectDue = DeliveryColumns + " WHERE status = 'pending' AND next_attempt <= @now AND project_id = @project_id ORDER BY next_attempt, id LIMIT @limit";

    public const string SelectNextDue = "SELECT MIN(next_attempt) FROM alert_deliveries WHERE status = 'pending' AND project_id = @project_id";

    public const string SelectProjectsDue = """
        SELECT project_id FROM alert_deliveries WHERE status = 'pending' AND next_attempt <= @now
        UNION
        SELECT project_id FROM alert_firings WHERE expanded = 0
        LIMIT @limit
        """;

    public const string Update = """
        UPDATE alert_deliveries SET status = @status, attempts = @attempts, next_attempt = @next_attempt,
            last_error = @last_error, last_status = @last_status, delivered = @delivered
        WHERE id = @id
        """;

    public const string SelectDelivery = DeliveryColumns + " WHERE id = @id";

    public const string SelectProjectDeliveries = DeliveryColumns + " WHERE project_id = @project_id ORDER BY created DESC, id LIMIT @limit";

    public const string SelectProjectDeliveriesByStatus = DeliveryColumns + " WHERE project_id = @project_id AND status = @status ORDER BY created DESC, id LIMIT @limit";

    public const string Retry = """
        UPDATE alert_deliveries SET status = 'pending', attempts = 0, next_attempt = @now, last_error = NULL, last_status = NULL
        WHERE id = @id AND project_id = @project_id AND status = 'dead'
        """;

    public const string PruneDeliveries = "DELETE FROM alert_deliveries WHERE status = 'delivered' AND delivered < @cutoff";

    public const string PruneFirings = """
        DELETE FROM alert_firings WHERE expanded = 1 AND recorded < @cutoff
            AND NOT EXISTS (SELECT 1 FROM alert_deliveries d WHERE d.firing_id = alert_firings.id)
        """;

    /// <summary>Records firings in firing id order (concurrent writers lock in one order); one recorded before gets no row.</summary>
    public static IEnumerable<SqlStatement> Firings(IEnumerable<AlertFiring> firings, DateTimeOffset recordedAt)
    {
        var recorded = StoreTime.ToMicroseconds(recordedAt);
        return firings.OrderBy(f => f.Id, StringComparer.Ordinal).Select(f => Firing(f, recorded));
    }

    /// <summary>Records a firing (no row when it was recorded before).</summary>
    public static SqlStatement Firing(AlertFiring firing, long recorded) => new(InsertFiring,
    [
        ("@id", firing.Id), ("@project_id", firing.ProjectId), ("@issue_id", firing.IssueId), ("@rule_id", firing.RuleId),
        ("@rule_label", firing.RuleLabel), ("@event_id", firing.EventId), ("@fired_at", StoreTime.ToMicroseconds(firing.FiredAt)),
        ("@actions_json", firing.ActionsJson), ("@reasons_json", ReasonsJson(firing.Reasons)), ("@recorded", recorded),
    ]);

    /// <summary>Adds a delivery of an expanded firing (no row when it exists).</summary>
    public static SqlStatement Delivery(AlertDelivery delivery) => new(InsertDelivery,
    [
        ("@id", delivery.Id), ("@firing_id", delivery.FiringId), ("@project_id", delivery.ProjectId), ("@kind", delivery.Kind),
        ("@target", delivery.Target), ("@status", Status(delivery.Status)), ("@attempts", (long)delivery.Attempts),
        ("@next_attempt", StoreTime.ToMicroseconds(delivery.NextAttemptAt)), ("@fired_at", StoreTime.ToMicroseconds(delivery.FiredAt)),
        ("@created", StoreTime.ToMicroseconds(delivery.CreatedAt)),
    ]);

    /// <summary>Records an attempt's result.</summary>
    public static SqlStatement Updated(AlertDeliveryUpdate update) => new(Update,
    [
        ("@id", update.Id), ("@status", Status(update.Status)), ("@attempts", (long)update.Attempts),
        ("@next_attempt", StoreTime.ToMicroseconds(update.NextAttemptAt)), ("@last_error", SqlNull.Of(update.LastError)),
        ("@last_status", SqlNull.Of(update.LastStatusCode)),
        ("@delivered", SqlNull.Of(update.DeliveredAt is { } at ? StoreTime.ToMicroseconds(at) : null)),
    ]);

    /// <summary>The reasons as stored (a JSON array of strings).</summary>
    public static string ReasonsJson(IReadOnlyList<string> reasons) =>
        JsonSerializer.Serialize(reasons as List<string> ?? [.. reasons], ProjectOptionJson.Default.ListString);

    /// <summary>The stored status text.</summary>
    public static string Status(AlertDeliveryStatus status) => AlertDeliveryKinds.StatusName(status);

    /// <summary>A firing row as read.</summary>
    public static AlertFiring ReadFiring(DbDataReader reader) => new(
        reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5),
        StoreTime.FromMicroseconds(reader.GetInt64(6)), reader.GetString(7),
        JsonSerializer.Deserialize(reader.GetString(8), ProjectOptionJson.Default.ListString) ?? []);

    /// <summary>A delivery row as read.</summary>
    public static AlertDelivery ReadDelivery(DbDataReader reader) => new(
        reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3), reader.GetString(4),
        AlertDeliveryKinds.ParseStatus(reader.GetString(5)) ?? AlertDeliveryStatus.Dead,
        (int)reader.GetInt64(6), StoreTime.FromMicroseconds(reader.GetInt64(7)),
        reader.IsDBNull(8) ? null : reader.GetString(8),
        reader.IsDBNull(9) ? null : (int)reader.GetInt64(9),
        StoreTime.FromMicroseconds(reader.GetInt64(10)), StoreTime.FromMicroseconds(reader.GetInt64(11)),
        reader.IsDBNull(12) ? null : StoreTime.FromMicroseconds(reader.GetInt64(12)));
}

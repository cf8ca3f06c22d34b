using System.Data.Common;
using Grains.Monitoring.Alerts.Rules;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>The statements of the rule stores (<c>alert_rules</c>), portable between SQLite and PostgreSQL.</summary>
public static class RuleSql
{
    private const string Columns = """
        id, project_id, label, environment, status, action_match, filter_match, frequency,
        conditions_json, filters_json, actions_json, owner, created_by_json, source, date_created
        """;

    private const string InsertColumns = """
        INSERT INTO alert_rules (project_id, label, environment, status, action_match, filter_match, frequency,
            conditions_json, filters_json, actions_json, owner, created_by_json, source, date_created)
        VALUES (@project_id, @label, @environment, @status, @action_match, @filter_match, @frequency,
            @conditions_json, @filters_json, @actions_json, @owner, @created_by_json, @source, @date_created)
        """;

    public const string Insert = InsertColumns + " RETURNING id";

    /// <summary>The default rule: the partial unique index on <c>(project_id) WHERE source = 'default'</c> makes a second one a no-op (no id returned).</summary>
    public const string InsertDefault = InsertColumns + " ON CONFLICT DO NOTHING RETURNING id";

    public const string SelectProject = "SELECT " + Columns + " FROM alert_rules WHERE project_id = @project_id AND status <> 'deleted' ORDER BY id DESC";

    public const string SelectOne = "SELECT " + Columns + " FROM alert_rules WHERE project_id = @project_id AND id = @id AND status <> 'deleted'";

    public const string Update = """
        UPDATE alert_rules SET label = @label, environment = @environment, status = @status, action_match = @action_match,
            filter_match = @filter_match, frequency = @frequency, conditions_json = @conditions_json,
            filters_json = @filters_json, actions_json = @actions_json, owner = @owner
        WHERE project_id = @project_id AND id = @id AND status <> 'deleted'
        """;

    public const string Delete = "UPDATE alert_rules SET status = 'deleted' WHERE project_id = @project_id AND id = @id AND status <> 'deleted'";

    /// <summary><paramref name="sql"/> (one of the rule statements) with the parameters of <paramref name="rule"/> it names.</summary>
    public static SqlStatement Statement(string sql, AlertRule rule)
    {
        var parameters = new List<(string Name, object Value)>();
        foreach (var (name, value) in TextParameters(rule))
        {
            if (sql.Contains(name, StringComparison.Ordinal))
            {
                parameters.Add((name, SqlNull.Of(value)));
            }
        }

        foreach (var (name, value) in IntegerParameters(rule))
        {
            if (sql.Contains(name, StringComparison.Ordinal))
            {
                parameters.Add((name, value));
            }
        }

        return new(sql, parameters);
    }

    /// <summary>The text parameters of a rule (values may be null).</summary>
    public static IEnumerable<(string Name, string? Value)> TextParameters(AlertRule rule) =>
    [
        ("@label", rule.Label),
        ("@environment", rule.Environment),
        ("@status", rule.Status),
        ("@action_match", rule.ActionMatch),
        ("@filter_match", rule.FilterMatch),
        ("@conditions_json", rule.ConditionsJson),
        ("@filters_json", rule.FiltersJson),
        ("@actions_json", rule.ActionsJson),
        ("@owner", rule.Owner),
        ("@created_by_json", rule.CreatedByJson),
        ("@source", rule.Source),
    ];

    /// <summary>The integer parameters of a rule (never null).</summary>
    public static IEnumerable<(string Name, long Value)> IntegerParameters(AlertRule rule) =>
    [
        ("@id", rule.Id),
        ("@project_id", rule.ProjectId),
        ("@frequency", rule.Frequency),
        ("@date_created", StoreTime.ToMicroseconds(rule.DateCreated)),
    ];

    /// <summary>Reads a row selected with the columns of <see cref="SelectProject"/>.</summary>
    public static AlertRule Read(DbDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        ProjectId = reader.GetInt64(1),
        Label = reader.GetString(2),
        Environment = reader.IsDBNull(3) ? null : reader.GetString(3),
        Status = reader.GetString(4),
        ActionMatch = reader.GetString(5),
        FilterMatch = reader.GetString(6),
        Frequency = checked((int)reader.GetInt64(7)),
        ConditionsJson = reader.GetString(8),
        FiltersJson = reader.GetString(9),
        ActionsJson = reader.GetString(10),
        Owner = reader.IsDBNull(11) ? null : reader.GetString(11),
        CreatedByJson = reader.IsDBNull(12) ? null : reader.GetString(12),
        Source = reader.GetString(13),
        DateCreated = StoreTime.FromMicroseconds(reader.GetInt64(14)),
    };
}

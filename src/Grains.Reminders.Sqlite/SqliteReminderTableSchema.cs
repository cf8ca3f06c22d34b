namespace Grains.Reminders.Sqlite;

/// <summary>
/// The versioned table of <see cref="SqliteReminderTable"/>, applied through the shared writer's
/// component migrations (component <see cref="Component"/>). Append new versions; never edit one.
/// </summary>
internal static class SqliteReminderTableSchema
{
    public const string Component = "orleans.reminders";

    public static IReadOnlyList<(int Version, string Description, string Sql)> Migrations { get; } =
    [
        (1, "Orleans reminders", """
            -- grain_hash: the grain id's uniform hash (an unsigned 32-bit ring position) that Orleans'
            -- reminder service reads its ranges by. start_at in microseconds since the Unix epoch
            -- (UTC), period in microseconds. etag: random, replaced by every upsert.
            CREATE TABLE grains_reminder_table (
                service_id    TEXT    NOT NULL,
                grain_id      TEXT    NOT NULL,
                reminder_name TEXT    NOT NULL,
                grain_hash    INTEGER NOT NULL,
                start_at      INTEGER NOT NULL,
                period        INTEGER NOT NULL,
                etag          INTEGER NOT NULL,
                PRIMARY KEY (service_id, grain_id, reminder_name)
            ) WITHOUT ROWID;
            CREATE INDEX ix_grains_reminder_table_hash ON grains_reminder_table (service_id, grain_hash);
            """),
    ];
}

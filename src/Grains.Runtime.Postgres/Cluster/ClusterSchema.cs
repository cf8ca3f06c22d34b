namespace Grains.Runtime.Postgres.Cluster;

/// <summary>
/// The tables of cluster membership (component <c>cluster</c>): <c>grains_silos</c> — one row per
/// silo process (address + generation) with its status and heartbeat — and <c>grains_partitions</c>
/// — the owner of each partition and an epoch that increases on every change of owner.
/// Ownership itself is the session advisory lock (<see cref="LockSpace"/>); the rows say who holds it.
/// </summary>
internal static class ClusterSchema
{
    public const string Component = "cluster";

    public static readonly IReadOnlyList<(string Description, string Sql)> Migrations =
    [
        ("silos and partition owners", """
            CREATE TABLE grains_silos (
                silo_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                address     text        NOT NULL,
                generation  bigint      NOT NULL,
                status      text        NOT NULL,
                started_at  timestamptz NOT NULL DEFAULT now(),
                heartbeat   timestamptz NOT NULL DEFAULT now(),
                UNIQUE (address, generation)
            );
            CREATE INDEX grains_silos_live ON grains_silos (status) WHERE status IN ('active', 'leaving');
            CREATE TABLE grains_partitions (
                partition_id    integer     PRIMARY KEY,
                owner_silo_id   bigint      NOT NULL,
                owner_address   text        NOT NULL,
                epoch           bigint      NOT NULL,
                changed_at      timestamptz NOT NULL DEFAULT now()
            );
            """),
    ];
}

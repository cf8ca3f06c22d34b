namespace Grains.Server.Storage.Azure;

/// <summary>
/// The Azure Table storage account of a server (section <c>Grains:Storage:Azure</c>, connection string
/// <c>ConnectionStrings:azure-storage</c>): where Orleans keeps grain state, cluster membership and
/// reminders when <c>Grains:Storage:Provider=azure</c>, and where the Event Hubs ingest stream keeps its
/// checkpoints when <c>Grains:Streams:Provider=eventhubs</c>.
/// </summary>
public sealed class AzureTablesOptions
{
    /// <summary>The configuration section of everything but the connection string.</summary>
    public const string Section = "Grains:Storage:Azure";

    /// <summary>The name of the connection string (<c>ConnectionStrings:azure-storage</c>, <c>ConnectionStrings__azure-storage</c>).</summary>
    public const string ConnectionStringName = "azure-storage";

    /// <summary>Default <see cref="GrainStateTable"/>.</summary>
    public const string DefaultGrainStateTable = "GrainsState";

    /// <summary>Default <see cref="MembershipTable"/>.</summary>
    public const string DefaultMembershipTable = "GrainsMembership";

    /// <summary>Default <see cref="RemindersTable"/>.</summary>
    public const string DefaultRemindersTable = "GrainsReminders";

    /// <summary>Default <see cref="StreamCheckpointTable"/>.</summary>
    public const string DefaultStreamCheckpointTable = "GrainsStreamCheckpoints";

    /// <summary>
    /// The storage account's connection string, from <c>ConnectionStrings:azure-storage</c> (the
    /// account key inside it is never logged). Either this or <see cref="ServiceUri"/> is required.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The account's table endpoint (<c>https://ACCOUNT.table.core.windows.net/</c>), used with
    /// <c>DefaultAzureCredential</c> (managed identity, workload identity, environment, Azure CLI) when no
    /// connection string is set: <c>Grains:Storage:Azure:ServiceUri</c>.
    /// </summary>
    public Uri? ServiceUri { get; set; }

    /// <summary>The table of grain state (Orleans' default grain storage). Default <see cref="DefaultGrainStateTable"/>.</summary>
    public string GrainStateTable { get; set; } = DefaultGrainStateTable;

    /// <summary>The table of cluster membership (the silos of every cluster id of the account). Default <see cref="DefaultMembershipTable"/>.</summary>
    public string MembershipTable { get; set; } = DefaultMembershipTable;

    /// <summary>The table of reminders. Default <see cref="DefaultRemindersTable"/>.</summary>
    public string RemindersTable { get; set; } = DefaultRemindersTable;

    /// <summary>The table of the Event Hubs ingest stream's checkpoints (one row per hub partition). Default <see cref="DefaultStreamCheckpointTable"/>.</summary>
    public string StreamCheckpointTable { get; set; } = DefaultStreamCheckpointTable;

    /// <summary>Reads the options from <paramref name="configuration"/> (section and connection string).</summary>
    public static AzureTablesOptions Read(IConfiguration configuration) =>
        ServiceSettings.Read<AzureTablesOptions>(configuration, Section, ConnectionStringName, (options, connectionString) => options.ConnectionString = connectionString);
}

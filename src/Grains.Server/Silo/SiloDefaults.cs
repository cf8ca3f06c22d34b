namespace Grains.Server.Silo;

/// <summary>
/// The Orleans settings a Grains silo sets deliberately rather than leaving to Orleans' defaults
/// (see docs/runtime.md for the measurements behind each).
/// </summary>
public static class SiloDefaults
{
    /// <summary>The Orleans service id when <c>Orleans:ServiceId</c> is not set: <c>grains</c>. Grain state is keyed by it, so it must stay the same across restarts and versions.</summary>
    public const string ServiceId = "grains";

    /// <summary>The Orleans cluster id when <c>Orleans:ClusterId</c> is not set: <c>grains</c>. Silos with the same id on one membership table form one cluster.</summary>
    public const string ClusterId = "grains";

    /// <summary>The silo-to-silo port of a cluster silo when <c>Orleans:Endpoints:SiloPort</c> is not set: Orleans' 11111. (The embedded silo takes a free loopback port: nothing else connects to it.)</summary>
    public const int SiloPort = 11111;

    /// <summary>
    /// The gateway port of a cluster silo when <c>Orleans:Endpoints:GatewayPort</c> is not set: Orleans'
    /// 30000, for Orleans clients and tools. The embedded silo has none (0): its only client is itself.
    /// </summary>
    public const int GatewayPort = 30000;

    /// <summary>
    /// How long a grain call may take before it fails: 15 s (Orleans' default is 30 s). A stream
    /// delivery is a grain call, and a hung one holds its whole queue for this long; the slowest
    /// legitimate call (an issue's first batch of 1,000 events with its store writes) takes well
    /// under a second on the smallest machine measured.
    /// </summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long an idle grain stays active: Orleans' 15 minutes, set here so it is a decision.
    /// Issue grains use a shorter age (<c>IssueGrain.CollectionAgeMinutes</c>); project grains are few
    /// and read on every new issue, so they stay.
    /// </summary>
    public static readonly TimeSpan CollectionAge = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How often idle activations are collected: every 15 s (Orleans' default is a minute), so issue
    /// grains collected after half a minute (<c>IssueGrain.CollectionAgeMinutes</c>) do not linger
    /// for another minute.
    /// </summary>
    public static readonly TimeSpan CollectionQuantum = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The most stream deliveries (issue-grain turns applying events, each activating its grain first)
    /// in flight at once on a silo: 256, as under Grains' earlier runtime. A delivery to a new issue
    /// takes about 0.1 s (activation, issue number, two state writes through group commit), so the
    /// limit bounds the rate of new issues: 32 processed 278 distinct issues/s. Unbounded, a restart's
    /// backlog activates thousands of grains at once; the 1 s head start of the edge
    /// (<see cref="DeliveryStartDelay"/>) is what keeps the first answer early.
    /// </summary>
    public const int MaxConcurrentDeliveries = 256;

    /// <summary>
    /// How long after the server listens its stream delivery starts: 1 s. Events acknowledged meanwhile
    /// wait durably in the log; the edge gets the cores to answer (and compile the path of) its first
    /// requests before a restart's backlog competes for them.
    /// </summary>
    public static readonly TimeSpan DeliveryStartDelay = TimeSpan.FromSeconds(1);
}

namespace Grains.Runtime.Activation;

/// <summary>How a turn may overlap other turns of the same activation.</summary>
internal enum TurnKind
{
    /// <summary>Runs alone among exclusive and read-only turns (the default).</summary>
    Exclusive,

    /// <summary>May overlap other read-only turns.</summary>
    ReadOnly,

    /// <summary>May overlap anything but lifecycle turns (<c>[AlwaysInterleave]</c> or a <c>[Reentrant]</c> class).</summary>
    Interleave,

    /// <summary>Activation or deactivation: runs when nothing else does.</summary>
    Lifecycle,
}

namespace Grains.Ingestion.Normalization;

/// <summary>
/// What <see cref="EventJsonReader"/> reuses from one read to the next on a thread: the stack of open containers and
/// one <see cref="ContainerMembers"/> per depth. A read that nested deeper or held larger containers than
/// <see cref="MaxRetainedDepth"/> and <see cref="MaxRetainedMembers"/> leaves its buffers to the GC rather than
/// keeping them per thread.
/// </summary>
internal sealed class ContainerBuffers
{
    /// <summary>The deepest nesting whose buffers a thread keeps.</summary>
    public const int MaxRetainedDepth = 64;

    /// <summary>The most members a kept buffer may hold room for.</summary>
    public const int MaxRetainedMembers = 4096;

    [ThreadStatic]
    private static ContainerBuffers? t_cached;

    private readonly List<ContainerMembers> _byDepth = new(16);

    /// <summary>The numbers of the read (parsed together at its end).</summary>
    public DeferredNumbers Numbers { get; } = new();

    /// <summary>The open containers, innermost last.</summary>
    public List<OpenContainer> Open { get; } = new(16);

    /// <summary>The thread's buffers, or new ones when they are in use (a nested read) or were dropped.</summary>
    public static ContainerBuffers Rent()
    {
        var buffers = t_cached ?? new ContainerBuffers();
        t_cached = null;
        return buffers;
    }

    /// <summary>Empties <paramref name="buffers"/> (a read that failed may have left members) and keeps them for the thread's next read if they are small.</summary>
    public static void Return(ContainerBuffers buffers)
    {
        buffers.Open.Clear();
        buffers.Numbers.Clear();
        if (buffers._byDepth.Count > MaxRetainedDepth || buffers.Numbers.Capacity > MaxRetainedMembers)
        {
            return;
        }

        foreach (var members in buffers._byDepth)
        {
            members.Clear();
            if (members.Capacity > MaxRetainedMembers)
            {
                return;
            }
        }

        t_cached = buffers;
    }

    /// <summary>The members buffer of nesting depth <paramref name="depth"/> (0: the root object).</summary>
    public ContainerMembers Members(int depth)
    {
        while (_byDepth.Count <= depth)
        {
            _byDepth.Add(new ContainerMembers());
        }

        return _byDepth[depth];
    }
}

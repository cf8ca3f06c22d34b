namespace Grains.Runtime.Persistence;

/// <summary>
/// A grain's persistent state. It is read before <c>OnActivateAsync</c>; the grain writes it
/// explicitly. Writes are optimistic: <see cref="WriteStateAsync"/> presents <see cref="ETag"/> and
/// fails with <see cref="InconsistentStateException"/> when someone else wrote in between, after which
/// the activation deactivates itself.
/// </summary>
/// <typeparam name="TState">A System.Text.Json-serializable type with a public parameterless constructor.</typeparam>
public interface IPersistentState<TState>
{
    /// <summary>The current value (a new instance when no record exists).</summary>
    TState State { get; set; }

    /// <summary>The version of the last read or write; null when no record exists.</summary>
    string? ETag { get; }

    /// <summary>Whether a stored record exists.</summary>
    bool RecordExists { get; }

    /// <summary>Re-reads the state from storage.</summary>
    Task ReadStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Writes <see cref="State"/>; completes when durable.</summary>
    Task WriteStateAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes the stored record and resets <see cref="State"/> to a new instance.</summary>
    Task ClearStateAsync(CancellationToken cancellationToken = default);
}

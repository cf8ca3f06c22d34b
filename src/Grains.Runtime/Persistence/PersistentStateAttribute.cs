namespace Grains.Runtime.Persistence;

/// <summary>
/// Marks a grain constructor parameter of type <see cref="IPersistentState{TState}"/>: the runtime
/// injects the state named <paramref name="stateName"/>, stored in the provider registered under
/// <paramref name="storageName"/> (a keyed <see cref="IGrainStorage"/>), or the default provider when null.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class PersistentStateAttribute(string stateName, string? storageName = null) : Attribute
{
    /// <summary>The state's name, unique within the grain.</summary>
    public string StateName { get; } = stateName;

    /// <summary>The keyed storage provider, or null for the default <see cref="IGrainStorage"/>.</summary>
    public string? StorageName { get; } = storageName;
}

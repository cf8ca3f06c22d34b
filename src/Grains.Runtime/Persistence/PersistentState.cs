using System.Text.Json;
using Grains.Runtime.Activation;

namespace Grains.Runtime.Persistence;

/// <summary>The runtime's <see cref="IPersistentState{TState}"/>: JSON over an <see cref="IGrainStorage"/>.</summary>
internal sealed class PersistentState<TState>(string stateName, IGrainStorage storage, JsonSerializerOptions json)
    : IPersistentState<TState>, IActivationState
{
    private ActivationData? _activation;

    public TState State { get; set; } = Activator.CreateInstance<TState>();

    public string? ETag { get; private set; }

    public bool RecordExists => ETag is not null;

    public void Attach(ActivationData activation) => _activation = activation;

    public Task LoadAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);

    public async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var record = await storage.ReadAsync(stateName, Id, cancellationToken);
        if (record is null)
        {
            State = Activator.CreateInstance<TState>();
            ETag = null;
            return;
        }

        State = JsonSerializer.Deserialize<TState>(record.Payload.Span, json) ?? Activator.CreateInstance<TState>();
        ETag = record.ETag;
    }

    public async Task WriteStateAsync(CancellationToken cancellationToken = default)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(State, json);
        try
        {
            ETag = await storage.WriteAsync(stateName, Id, payload, ETag, cancellationToken);
        }
        catch (InconsistentStateException)
        {
            // A newer writer owns this grain's state: this activation must not write again.
            _activation?.RequestDeactivation(DeactivationReason.InconsistentState);
            throw;
        }
    }

    public async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await storage.ClearAsync(stateName, Id, ETag, cancellationToken);
        }
        catch (InconsistentStateException)
        {
            _activation?.RequestDeactivation(DeactivationReason.InconsistentState);
            throw;
        }

        ETag = null;
        State = Activator.CreateInstance<TState>();
    }

    private GrainId Id => _activation?.Id ?? throw new InvalidOperationException("The state is not attached to an activation.");
}

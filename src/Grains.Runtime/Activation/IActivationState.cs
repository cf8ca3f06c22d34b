namespace Grains.Runtime.Activation;

/// <summary>Something injected into a grain that the activation must attach and load before <c>OnActivateAsync</c>.</summary>
internal interface IActivationState
{
    void Attach(ActivationData activation);

    Task LoadAsync(CancellationToken cancellationToken);
}

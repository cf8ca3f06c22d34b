namespace Grains.Runtime.Activation;

/// <summary>The life of an activation.</summary>
internal enum ActivationStatus
{
    Activating,
    Valid,
    Deactivating,
    Invalid,
}

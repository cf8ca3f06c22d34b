namespace Grains.Runtime;

/// <summary>
/// Creates references to grains. A reference is cheap, can be held and called from anywhere (grain
/// code, HTTP handlers, hosted services), and never says where the activation lives.
/// </summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of interface <typeparamref name="TGrain"/> with a string key.</summary>
    TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey;

    /// <summary>A reference to the grain of interface <typeparamref name="TGrain"/> with a Guid key.</summary>
    TGrain GetGrain<TGrain>(Guid key) where TGrain : IGrainWithGuidKey;

    /// <summary>A reference to the grain of interface <typeparamref name="TGrain"/> with an integer key.</summary>
    TGrain GetGrain<TGrain>(long key) where TGrain : IGrainWithIntegerKey;

    /// <summary>A reference to the grain <paramref name="grainId"/> through interface <typeparamref name="TGrain"/>, which its class must implement.</summary>
    TGrain GetGrain<TGrain>(GrainId grainId) where TGrain : IGrain;
}

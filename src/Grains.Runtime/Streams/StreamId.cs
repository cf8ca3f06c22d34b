namespace Grains.Runtime.Streams;

/// <summary>A stream's identity: a namespace (mapped to a consumer grain type) and a key (the consumer grain's key).</summary>
public readonly record struct StreamId(string Namespace, string Key)
{
    /// <inheritdoc />
    public override string ToString() => $"{Namespace}/{Key}";
}

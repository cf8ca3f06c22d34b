using System.Text.Json;

namespace Grains.Runtime.Cluster;

/// <summary>The wire form of an exception a grain call failed with on the silo that ran it.</summary>
/// <param name="Type">The exception type's full name.</param>
/// <param name="Assembly">The name of the type's assembly (to recreate it on the caller).</param>
/// <param name="Message">The exception's message.</param>
/// <param name="Properties">The public properties the type itself declares (not those of <see cref="Exception"/>), so a type without a message constructor can be rebuilt from constructor parameters of the same names.</param>
public sealed record RemoteCallError(string Type, string? Assembly, string Message, Dictionary<string, JsonElement>? Properties = null);

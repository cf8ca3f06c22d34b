using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Grains.Runtime.Cluster;

/// <summary>
/// The body of a silo-to-silo call and of its answer, as JSON. Arguments and results are written
/// with the declared parameter and result types, through the source-generated contexts the silo
/// registered (<see cref="ClusterTransportOptions.SerializerContexts"/>) and reflection for the rest.
/// </summary>
internal sealed class GrainCallCodec
{
    private readonly GrainMethodCatalog _methods;

    public GrainCallCodec(GrainMethodCatalog methods, ClusterTransportOptions options)
    {
        _methods = methods;
        var resolvers = new List<IJsonTypeInfoResolver>(options.SerializerContexts) { ClusterJsonContext.Default, new DefaultJsonTypeInfoResolver() };
        // Fields are included so value tuples keep their items (they have no properties).
        Options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { IncludeFields = true, TypeInfoResolver = JsonTypeInfoResolver.Combine([.. resolvers]) };
        Options.MakeReadOnly();
    }

    public JsonSerializerOptions Options { get; }

    public byte[] WriteCall(GrainId grainId, MethodInfo method, object?[] args)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", grainId.Type);
            writer.WriteString("key", grainId.Key);
            writer.WriteString("method", _methods.NameOf(method));
            writer.WriteStartArray("args");
            var parameters = method.GetParameters();
            for (var i = 0; i < parameters.Length; i++)
            {
                JsonSerializer.Serialize(writer, i < args.Length ? args[i] : null, parameters[i].ParameterType, Options);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a call; throws <see cref="FormatException"/> with a reason when it is malformed or names an unknown method.</summary>
    public (GrainId GrainId, MethodInfo Method, object?[] Args) ReadCall(ReadOnlySpan<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("The call body must be a JSON object.");
            }

            var type = RequiredString(root, "type");
            var key = RequiredString(root, "key");
            var name = RequiredString(root, "method");
            var method = _methods.Find(name) ?? throw new FormatException($"No grain interface method '{name}' is loaded on this silo.");
            var parameters = method.GetParameters();
            if (!root.TryGetProperty("args", out var argsElement) || argsElement.ValueKind != JsonValueKind.Array || argsElement.GetArrayLength() != parameters.Length)
            {
                throw new FormatException($"'args' must be an array of {parameters.Length} values for {name}.");
            }

            var args = new object?[parameters.Length];
            var index = 0;
            foreach (var element in argsElement.EnumerateArray())
            {
                args[index] = element.Deserialize(parameters[index].ParameterType, Options);
                index++;
            }

            return (new GrainId(type, key), method, args);
        }
        catch (JsonException exception)
        {
            throw new FormatException("The call body is not valid JSON for the method: " + exception.Message, exception);
        }
    }

    public byte[] WriteResult(Type? resultType, object? result)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result");
            if (resultType is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                JsonSerializer.Serialize(writer, result, resultType, Options);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public byte[] WriteError(Exception exception)
    {
        var type = exception.GetType();
        var error = new RemoteCallError(type.FullName ?? type.Name, type.Assembly.GetName().Name, exception.Message, DeclaredProperties(exception));
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("error");
            JsonSerializer.Serialize(writer, error, ClusterJsonContext.Default.RemoteCallError);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads an answer: the boxed result, or throws the exception the callee failed with.</summary>
    public object? ReadAnswer(ReadOnlySpan<byte> body, Type? resultType)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        if (root.TryGetProperty("error", out var errorElement))
        {
            var error = errorElement.Deserialize(ClusterJsonContext.Default.RemoteCallError)
                ?? throw new FormatException("A call answer's error is null.");
            throw Recreate(error);
        }

        if (!root.TryGetProperty("result", out var result))
        {
            throw new FormatException("A call answer has neither 'result' nor 'error'.");
        }

        return resultType is null ? null : result.Deserialize(resultType, Options);
    }

    /// <summary>
    /// The callee's exception as the same type when this silo can build it — from its message, or
    /// from a constructor whose parameters are named like the properties that crossed — else a
    /// <see cref="RemoteGrainException"/> with the type's name and the message.
    /// </summary>
    internal Exception Recreate(RemoteCallError error)
    {
        try
        {
            var type = error.Assembly is null ? null : Type.GetType($"{error.Type}, {error.Assembly}", throwOnError: false);
            if (type is not null && typeof(Exception).IsAssignableFrom(type))
            {
                if (type.GetConstructor([typeof(string)]) is { } fromMessage)
                {
                    return (Exception)fromMessage.Invoke([error.Message]);
                }

                var properties = new Dictionary<string, JsonElement>(error.Properties ?? [], StringComparer.OrdinalIgnoreCase);
                foreach (var constructor in type.GetConstructors())
                {
                    var parameters = constructor.GetParameters();
                    if (parameters.Length > 0 && parameters.All(p => p.Name is not null && properties.ContainsKey(p.Name)))
                    {
                        var values = parameters.Select(p => properties[p.Name!].Deserialize(p.ParameterType, Options)).ToArray();
                        var rebuilt = (Exception)constructor.Invoke(values);
                        if (rebuilt.Message == error.Message)
                        {
                            return rebuilt;
                        }
                    }
                }
            }
        }
        catch (Exception)
        {
            // Fall through: a type that cannot be rebuilt crosses as RemoteGrainException.
        }

        return new RemoteGrainException(error.Type, error.Message);
    }

    private Dictionary<string, JsonElement>? DeclaredProperties(Exception exception)
    {
        Dictionary<string, JsonElement>? properties = null;
        foreach (var property in exception.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.DeclaringType == typeof(Exception) || property.GetIndexParameters().Length > 0 || !property.CanRead)
            {
                continue;
            }

            try
            {
                (properties ??= [])[property.Name] = JsonSerializer.SerializeToElement(property.GetValue(exception), property.PropertyType, Options);
            }
            catch (Exception)
            {
                // A property that does not serialize stays behind; the type and message still cross.
            }
        }

        return properties;
    }

    private static string RequiredString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new FormatException($"The call body needs a string '{name}'.");
}

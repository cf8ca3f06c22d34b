using System.Reflection;
using System.Text.Json;
using Grains.Runtime.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Runtime.Activation;

/// <summary>
/// Creates grain instances: constructor parameters marked <see cref="PersistentStateAttribute"/> get
/// a state bound to the activation; every other parameter comes from the service provider.
/// </summary>
internal sealed class GrainActivator(IServiceProvider services, JsonSerializerOptions json)
{
    public (Grain Instance, IReadOnlyList<IActivationState> States) Create(GrainClassInfo info)
    {
        var parameters = info.Constructor.GetParameters();
        var arguments = new object?[parameters.Length];
        var states = new List<IActivationState>();
        for (var i = 0; i < parameters.Length; i++)
        {
            arguments[i] = Resolve(info, parameters[i], states);
        }

        return ((Grain)info.Constructor.Invoke(arguments), states);
    }

    private object? Resolve(GrainClassInfo info, ParameterInfo parameter, List<IActivationState> states)
    {
        if (parameter.GetCustomAttribute<PersistentStateAttribute>() is not { } attribute)
        {
            return services.GetService(parameter.ParameterType) ?? (parameter.HasDefaultValue
                ? parameter.DefaultValue
                : throw new InvalidOperationException($"Grain {info.Class.Name} needs a {parameter.ParameterType.Name} that is not registered."));
        }

        var type = parameter.ParameterType;
        if (!type.IsGenericType || type.GetGenericTypeDefinition() != typeof(IPersistentState<>))
        {
            throw new InvalidOperationException($"[PersistentState] parameter '{parameter.Name}' of {info.Class.Name} must be an IPersistentState<T>.");
        }

        var storage = attribute.StorageName is null
            ? services.GetService<IGrainStorage>()
            : services.GetKeyedService<IGrainStorage>(attribute.StorageName);
        if (storage is null)
        {
            throw new InvalidOperationException($"Grain {info.Class.Name} needs grain storage '{attribute.StorageName ?? "default"}', which is not registered.");
        }

        var stateType = typeof(PersistentState<>).MakeGenericType(type.GetGenericArguments()[0]);
        var state = (IActivationState)Activator.CreateInstance(stateType, attribute.StateName, storage, json)!;
        states.Add(state);
        return state;
    }
}

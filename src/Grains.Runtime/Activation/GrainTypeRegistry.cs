using System.Reflection;
using Grains.Runtime.Streams;

namespace Grains.Runtime.Activation;

/// <summary>The grain classes this silo can activate, found in the registered assemblies.</summary>
internal sealed class GrainTypeRegistry
{
    private readonly Dictionary<string, GrainClassInfo> _byTypeName = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, List<GrainClassInfo>> _byInterface = [];
    private readonly Dictionary<string, string> _subscriberByNamespace = new(StringComparer.Ordinal);

    public GrainTypeRegistry(IEnumerable<Assembly> assemblies)
    {
        foreach (var type in assemblies.Distinct().SelectMany(SafeTypes))
        {
            if (type.IsClass && !type.IsAbstract && !type.ContainsGenericParameters && typeof(Grain).IsAssignableFrom(type))
            {
                Add(type);
            }
        }
    }

    /// <summary>The class of a grain type name.</summary>
    public GrainClassInfo GetClass(string typeName) => _byTypeName.TryGetValue(typeName, out var info)
        ? info
        : throw new InvalidOperationException($"No grain class is registered for grain type '{typeName}'. Register its assembly with SiloBuilder.AddGrainAssembly.");

    /// <summary>The one class implementing a grain interface.</summary>
    public GrainClassInfo GetClass(Type grainInterface)
    {
        if (!_byInterface.TryGetValue(grainInterface, out var classes))
        {
            throw new InvalidOperationException($"No registered grain class implements {grainInterface.FullName}.");
        }

        return classes.Count == 1
            ? classes[0]
            : throw new InvalidOperationException($"Several grain classes implement {grainInterface.FullName} ({string.Join(", ", classes.Select(c => c.Class.Name))}); address the grain by GrainId.");
    }

    /// <summary>The grain type that implicitly subscribes to a stream namespace.</summary>
    public string GetSubscriber(string streamNamespace) => _subscriberByNamespace.TryGetValue(streamNamespace, out var typeName)
        ? typeName
        : throw new InvalidOperationException($"No grain class has [ImplicitStreamSubscription(\"{streamNamespace}\")].");

    private void Add(Type grainClass)
    {
        var info = new GrainClassInfo(grainClass);
        if (_byTypeName.TryGetValue(info.TypeName, out var existing))
        {
            throw new InvalidOperationException($"Grain classes {existing.Class.FullName} and {grainClass.FullName} share the grain type name '{info.TypeName}'; give one a [GrainType].");
        }

        _byTypeName.Add(info.TypeName, info);
        foreach (var grainInterface in info.Interfaces)
        {
            if (!_byInterface.TryGetValue(grainInterface, out var list))
            {
                _byInterface[grainInterface] = list = [];
            }

            list.Add(info);
        }

        foreach (var subscription in grainClass.GetCustomAttributes<ImplicitStreamSubscriptionAttribute>())
        {
            if (!_subscriberByNamespace.TryAdd(subscription.Namespace, info.TypeName))
            {
                throw new InvalidOperationException($"Stream namespace '{subscription.Namespace}' has two implicit subscribers ({_subscriberByNamespace[subscription.Namespace]} and {info.TypeName}); one namespace maps to one grain type.");
            }
        }
    }

    private static IEnumerable<Type> SafeTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            return exception.Types.OfType<Type>();
        }
    }
}

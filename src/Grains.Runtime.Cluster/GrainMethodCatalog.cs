using System.Collections.Concurrent;
using System.Reflection;

namespace Grains.Runtime.Cluster;

/// <summary>
/// Names grain interface methods the same way on every silo — <c>Namespace.IFoo.Bar(System.String,System.Int32)</c> —
/// and finds a method again from its name. Every loaded grain interface is known, so both silos
/// only need the same assemblies, as they must anyway.
/// </summary>
internal sealed class GrainMethodCatalog
{
    private readonly ConcurrentDictionary<MethodInfo, string> _names = new();
    private readonly ConcurrentDictionary<string, MethodInfo> _methods = new(StringComparer.Ordinal);
    private int _scannedAssemblies;

    /// <summary>The method's wire name.</summary>
    public string NameOf(MethodInfo method) => _names.GetOrAdd(method, static m =>
        $"{m.DeclaringType!.FullName}.{m.Name}({string.Join(',', m.GetParameters().Select(p => p.ParameterType.FullName))})");

    /// <summary>The method with that wire name; null when no loaded grain interface declares it.</summary>
    public MethodInfo? Find(string name)
    {
        if (_methods.TryGetValue(name, out var method))
        {
            return method;
        }

        var assemblies = AppDomain.CurrentDomain.GetAssemblies();
        if (assemblies.Length != Volatile.Read(ref _scannedAssemblies))
        {
            foreach (var assembly in assemblies)
            {
                foreach (var type in LoadableTypes(assembly))
                {
                    if (type.IsInterface && typeof(IGrain).IsAssignableFrom(type))
                    {
                        foreach (var candidate in type.GetMethods())
                        {
                            _methods.TryAdd(NameOf(candidate), candidate);
                        }
                    }
                }
            }

            Volatile.Write(ref _scannedAssemblies, assemblies.Length);
        }

        return _methods.GetValueOrDefault(name);
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        if (assembly.IsDynamic)
        {
            return [];
        }

        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException partial)
        {
            return partial.Types.OfType<Type>();
        }
    }
}

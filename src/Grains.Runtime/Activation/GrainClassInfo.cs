using System.Reflection;

namespace Grains.Runtime.Activation;

/// <summary>What the runtime knows about a grain class: its type name, reentrancy and constructor.</summary>
internal sealed class GrainClassInfo
{
    public GrainClassInfo(Type grainClass)
    {
        if (!typeof(Grain).IsAssignableFrom(grainClass) || grainClass.IsAbstract)
        {
            throw new ArgumentException($"{grainClass.FullName} is not a concrete subclass of Grain.", nameof(grainClass));
        }

        Class = grainClass;
        TypeName = NameOf(grainClass);
        Reentrant = grainClass.IsDefined(typeof(ReentrantAttribute), inherit: true);
        Constructor = grainClass.GetConstructors().OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
            ?? throw new ArgumentException($"Grain class {grainClass.FullName} has no public constructor.", nameof(grainClass));
        Interfaces = [.. grainClass.GetInterfaces().Where(i => typeof(IGrain).IsAssignableFrom(i) && !IsMarker(i))];
    }

    public Type Class { get; }

    public string TypeName { get; }

    public bool Reentrant { get; }

    public ConstructorInfo Constructor { get; }

    public IReadOnlyList<Type> Interfaces { get; }

    /// <summary>The grain type name of a class: <see cref="GrainTypeAttribute"/>, else the class name without "Grain", in lower case.</summary>
    public static string NameOf(Type grainClass)
    {
        if (grainClass.GetCustomAttribute<GrainTypeAttribute>() is { } attribute)
        {
            return attribute.Name;
        }

        var name = grainClass.Name;
        var tick = name.IndexOf('`');
        if (tick >= 0)
        {
            name = name[..tick];
        }

        if (name.EndsWith("Grain", StringComparison.Ordinal) && name.Length > "Grain".Length)
        {
            name = name[..^"Grain".Length];
        }

        return name.ToLowerInvariant();
    }

    private static bool IsMarker(Type type) =>
        type == typeof(IGrain) || type == typeof(IGrainWithStringKey) || type == typeof(IGrainWithGuidKey) || type == typeof(IGrainWithIntegerKey);
}

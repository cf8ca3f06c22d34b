using System.Reflection;
using Grains.Runtime.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Grains.Runtime.Hosting;

/// <summary>Configures a silo: options, the assemblies holding grain classes, and services (storage providers).</summary>
public sealed class SiloBuilder(IServiceCollection services)
{
    internal List<Assembly> Assemblies { get; } = [];

    /// <summary>The service collection of the host.</summary>
    public IServiceCollection Services { get; } = services;

    /// <summary>The runtime options.</summary>
    public GrainsOptions Options { get; } = new();

    /// <summary>Registers the grain classes of an assembly.</summary>
    public SiloBuilder AddGrainAssembly(Assembly assembly)
    {
        Assemblies.Add(assembly);
        return this;
    }

    /// <summary>Changes the runtime options.</summary>
    public SiloBuilder Configure(Action<GrainsOptions> configure)
    {
        configure(Options);
        return this;
    }
}

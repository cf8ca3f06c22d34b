using Microsoft.Extensions.DependencyInjection;

namespace Grains.Server.Tests.Api;

/// <summary>Lets a test server register a service after everything the server registers (its replacement wins).</summary>
public sealed class LastWordFactory(Action<IServiceCollection> last) : IServiceProviderFactory<IServiceCollection>
{
    private readonly DefaultServiceProviderFactory _inner = new();

    public IServiceCollection CreateBuilder(IServiceCollection services)
    {
        last(services);
        return _inner.CreateBuilder(services);
    }

    public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder) => _inner.CreateServiceProvider(containerBuilder);
}

using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Grains.Server.Logging;

/// <summary>Puts every registered logger provider behind a <see cref="RedactingLoggerProvider"/>.</summary>
public static class LogRedactionExtensions
{
    /// <summary>
    /// Wraps every <see cref="ILoggerProvider"/> registered so far (console, OpenTelemetry, a test's
    /// capture), so ASP.NET Core's request logs (<c>Request starting … ?sentry_key=…</c> at Information),
    /// exceptions and our own messages are redacted whatever the configured levels. Call it last, after
    /// every provider is added.
    /// </summary>
    public static IServiceCollection RedactLogs(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var providers = services.Where(d => d.ServiceType == typeof(ILoggerProvider) && !d.IsKeyedService).ToList();
        foreach (var descriptor in providers)
        {
            services.Remove(descriptor);
            services.Add(ServiceDescriptor.Describe(typeof(ILoggerProvider), sp => new RedactingLoggerProvider(Create(sp, descriptor)), descriptor.Lifetime));
        }

        return services;
    }

    private static ILoggerProvider Create(IServiceProvider services, ServiceDescriptor descriptor) => (ILoggerProvider)(
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(services)
        ?? ActivatorUtilities.GetServiceOrCreateInstance(services, descriptor.ImplementationType!));
}

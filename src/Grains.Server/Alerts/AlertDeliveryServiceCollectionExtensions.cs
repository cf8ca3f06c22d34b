using Grains.Monitoring.Alerts;
using Grains.Monitoring.Alerts.Actions;
using Grains.Monitoring.Alerts.Delivery;
using Grains.Monitoring.Alerts.Rules;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Grains.Server.Alerts;

/// <summary>Registers alert delivery: the outbox, its deliverer's channels and the per-silo sweep.</summary>
public static class AlertDeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AlertDeliveryOptions"/> (section <see cref="AlertDeliveryOptions.Section"/>,
    /// validated at start; <c>PublicUrl</c> defaults to the server's public URL), the channels (webhooks,
    /// Slack, email with <see cref="SmtpOptions"/> from <see cref="SmtpOptions.Section"/>) and, when the storage provides an <see cref="IAlertDeliveryStore"/> (SQLite, PostgreSQL),
    /// the <see cref="IAlertOutbox"/> the issue grain records firings in (replacing any placeholder) and
    /// the <see cref="AlertDeliverySweep"/>, and <see cref="PluginAlertServiceDirectory"/> as the rules'
    /// <see cref="IAlertServiceDirectory"/>. Call after the storage is registered.
    /// </summary>
    public static IServiceCollection AddAlertDelivery(this IServiceCollection services, IConfiguration configuration, GrainsServerOptions server)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(server);
        var configuredPublicUrl = !string.IsNullOrWhiteSpace(configuration[AlertDeliveryOptions.Section + ":PublicUrl"]);
        services.AddOptions<AlertDeliveryOptions>()
            .BindConfiguration(AlertDeliveryOptions.Section)
            .PostConfigure(options =>
            {
                if (!configuredPublicUrl)
                {
                    options.PublicUrl = string.IsNullOrWhiteSpace(server.PublicUrl) ? server.Url : server.PublicUrl;
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlertDeliveryOptions>, AlertDeliveryOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AlertHttp>();
        services.AddSingleton<AlertPayloads>();
        services.AddSingleton<IAlertChannel, WebhooksChannel>();
        services.AddSingleton<IAlertChannel, SlackChannel>();
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SmtpOptions>, SmtpOptionsValidator>();
        services.AddSingleton<IAlertChannel, EmailChannel>();

        // The plugins' options are delivery's: which services a rule may name is read the way delivery reads them.
        services.RemoveAll<IAlertServiceDirectory>();
        services.AddSingleton<IAlertServiceDirectory, PluginAlertServiceDirectory>();
        if (services.Any(d => d.ServiceType == typeof(IAlertDeliveryStore)))
        {
            services.RemoveAll<IAlertOutbox>();
            services.AddSingleton<IAlertOutbox>(sp => new AlertOutbox(sp.GetRequiredService<IAlertDeliveryStore>(), sp.GetRequiredService<IGrainFactory>(), sp.GetService<TimeProvider>()));
            services.AddHostedService<AlertDeliverySweep>();
        }

        return services;
    }
}

using System.Text.Json;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Projects.Options;

namespace Grains.Monitoring.Alerts.Rules;

/// <summary>
/// <see cref="IAlertServiceDirectory"/> from the project options, as Sentry's legacy plugins keep their
/// state: a service is enabled by <c>{slug}:enabled</c> = true and configured by its settings key
/// (<c>webhooks:urls</c>, <c>slack:webhook</c>) holding a non-empty string. The option keys belong to
/// the delivery side, which registers them in the <see cref="ProjectOptionRegistry"/>.
/// </summary>
public sealed class ProjectOptionAlertServiceDirectory(IGrainFactory grains) : IAlertServiceDirectory
{
    /// <summary>Each known service with the option key that holds its required configuration.</summary>
    public static IReadOnlyList<(string Slug, string ConfigKey)> Services { get; } = [("webhooks", "webhooks:urls"), ("slack", "slack:webhook")];

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string>> EnabledServicesAsync(long projectId, CancellationToken cancellationToken = default)
    {
        var options = await grains.GetGrain<IProjectGrain>(projectId).GetOptionsAsync();
        return Enabled(options);
    }

    /// <summary>The enabled and configured services in <paramref name="options"/>.</summary>
    public static IReadOnlyList<string> Enabled(ProjectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var enabled = new List<string>();
        foreach (var (slug, configKey) in Services)
        {
            if (IsTrue(options.Raw(slug + ":enabled")) && IsNonEmptyString(options.Raw(configKey)))
            {
                enabled.Add(slug);
            }
        }

        return enabled;
    }

    private static bool IsTrue(string? json)
    {
        if (json is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.True
                || (root.ValueKind == JsonValueKind.String && root.GetString() is "true" or "1" or "True");
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool IsNonEmptyString(string? json)
    {
        if (json is null)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(document.RootElement.GetString());
        }
        catch (JsonException)
        {
            return false;
        }
    }
}

using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Grains.Deploy.Tests;

/// <summary>The silo container's environment: secrets, the downward API, Orleans' ids and ports.</summary>
public static partial class KubernetesManifestChecker
{
    /// <summary>Prefixes of settings that only the removed Grains runtime read; Orleans is configured under <c>Orleans__</c>.</summary>
    public static readonly IReadOnlyList<string> RemovedSettingPrefixes = ["Grains__Cluster__", "Grains__Runtime__"];

    /// <summary>The downward-API variables Orleans' Kubernetes hosting reads, and the pod field each must come from.</summary>
    private static readonly (string Variable, string FieldPath)[] DownwardApi =
    [
        ("POD_NAME", "metadata.name"),
        ("POD_NAMESPACE", "metadata.namespace"),
        ("POD_IP", "status.podIP"),
    ];

    /// <summary>The variables that carry the Orleans ids, the pod label each must equal, and whether it is required.</summary>
    private static readonly (string Variable, string Label, bool Required)[] OrleansIds =
    [
        ("ORLEANS_SERVICE_ID", ServiceIdLabel, true),
        ("ORLEANS_CLUSTER_ID", ClusterIdLabel, true),
        ("Orleans__ServiceId", ServiceIdLabel, false),
        ("Orleans__ClusterId", ClusterIdLabel, false),
    ];

    private static void CheckEnvironment(ManifestSet set, Silo silo, YamlNode container, string where, List<string> problems)
    {
        var env = Yaml.Sequence(container, "env")
            .Where(e => Yaml.Scalar(e, "name") is not null)
            .GroupBy(e => Yaml.Scalar(e, "name")!)
            .ToDictionary(g => g.Key, g => g.Last());

        // Plain values: inline, else from the ConfigMaps of envFrom.
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var source in Yaml.Sequence(container, "envFrom"))
        {
            if (Yaml.Scalar(source, "configMapRef.name") is { } configMapName)
            {
                var configMap = set.OfKind("ConfigMap").FirstOrDefault(c => c.Name == configMapName);
                if (configMap is null)
                {
                    problems.Add($"{where}: envFrom names ConfigMap '{configMapName}', which is not in the manifests.");
                    continue;
                }

                foreach (var (key, value) in Yaml.Strings(configMap.Root, "data"))
                {
                    values[key] = value;
                }
            }

            if (Yaml.Scalar(source, "secretRef.name") is { } secretName && FindSecret(set, secretName) is null)
            {
                problems.Add($"{where}: envFrom names Secret '{secretName}', which is not in the manifests.");
            }
        }

        foreach (var (name, variable) in env)
        {
            if (Yaml.Scalar(variable, "value") is { } value)
            {
                values[name] = value;
            }
        }

        CheckSecretReferences(set, env, where, problems);
        CheckOrleansHosting(silo, env, values, where, problems);

        foreach (var name in env.Keys.Concat(values.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (RemovedSettingPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)))
            {
                problems.Add($"{where}: env {name} is a setting of the removed Grains runtime (Orleans is configured under Orleans__).");
            }
        }

        values.TryGetValue("Grains__Storage__Provider", out var provider);
        if (!string.Equals(provider, "postgres", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{where}: Grains__Storage__Provider must be postgres (found '{provider}').");
        }

        if (!values.TryGetValue("Grains__Url", out var url) || !url.StartsWith("http://0.0.0.0:", StringComparison.Ordinal))
        {
            problems.Add($"{where}: Grains__Url must listen on every address (http://0.0.0.0:PORT; found '{url}').");
        }
    }

    private static void CheckSecretReferences(ManifestSet set, Dictionary<string, YamlNode> env, string where, List<string> problems)
    {
        foreach (var name in SecretSettings)
        {
            if (!env.TryGetValue(name, out var variable) || Yaml.Get(variable, "valueFrom.secretKeyRef") is null)
            {
                problems.Add($"{where}: env {name} must come from a Secret (valueFrom.secretKeyRef).");
            }
        }

        foreach (var (name, variable) in env)
        {
            if (Yaml.Get(variable, "valueFrom.secretKeyRef") is not { } reference)
            {
                continue;
            }

            var secretName = Yaml.Scalar(reference, "name");
            var key = Yaml.Scalar(reference, "key");
            var secret = secretName is null ? null : FindSecret(set, secretName);
            if (secret is null)
            {
                problems.Add($"{where}: env {name} names Secret '{secretName}', which is not in the manifests.");
            }
            else if (key is null || !SecretKeys(secret).Contains(key))
            {
                problems.Add($"{where}: env {name} reads key '{key}', which Secret '{secretName}' does not have.");
            }
        }
    }

    /// <summary>
    /// What Orleans' Kubernetes hosting and the silo's endpoints need: the pod's name, namespace and IP
    /// from the downward API, ids equal to the pod's <c>orleans/*</c> labels, and port settings equal
    /// to the container ports.
    /// </summary>
    private static void CheckOrleansHosting(Silo silo, Dictionary<string, YamlNode> env, Dictionary<string, string> values, string where, List<string> problems)
    {
        foreach (var (variable, fieldPath) in DownwardApi)
        {
            if (!env.TryGetValue(variable, out var node) || FieldPath(node) != fieldPath)
            {
                problems.Add($"{where}: env {variable} must come from fieldRef {fieldPath} (the downward API).");
            }
        }

        // Kubernetes hosting advertises POD_IP only when nothing else set the address; if something
        // does, it must be the pod IP too, or the other silos would dial the wrong address.
        if (env.TryGetValue("Orleans__Endpoints__AdvertisedIPAddress", out var advertised) && FieldPath(advertised) != "status.podIP")
        {
            problems.Add($"{where}: env Orleans__Endpoints__AdvertisedIPAddress must come from fieldRef status.podIP (or be left out).");
        }

        foreach (var (variable, label, required) in OrleansIds)
        {
            silo.PodLabels.TryGetValue(label, out var expected);
            if (!env.ContainsKey(variable) && !values.ContainsKey(variable))
            {
                if (required)
                {
                    problems.Add($"{where}: env {variable} must be set (from the pod label {label}).");
                }

                continue;
            }

            var actual = env.TryGetValue(variable, out var node) && FieldPath(node) is { } path
                ? LabelOf(path) is { } source ? silo.PodLabels.GetValueOrDefault(source) : null
                : values.GetValueOrDefault(variable);
            if (expected is not null && actual != expected)
            {
                problems.Add($"{where}: env {variable} ('{actual}') differs from the pod label {label} ('{expected}').");
            }
        }

        CheckPortSetting("Orleans__Endpoints__SiloPort", DefaultSiloPort, "silo", silo.SiloPort, values, where, problems);
        CheckPortSetting("Orleans__Endpoints__GatewayPort", DefaultGatewayPort, "gateway", silo.GatewayPort, values, where, problems);
    }

    private static void CheckPortSetting(string variable, int defaultPort, string portName, int? containerPort, Dictionary<string, string> values, string where, List<string> problems)
    {
        if (containerPort is null)
        {
            return; // reported with the ports
        }

        var configured = values.TryGetValue(variable, out var text) ? text : null;
        var effective = configured ?? defaultPort.ToString(CultureInfo.InvariantCulture);
        if (effective != containerPort.Value.ToString(CultureInfo.InvariantCulture))
        {
            problems.Add($"{where}: {variable} ({configured ?? $"default {defaultPort}"}) differs from the '{portName}' container port ({containerPort}).");
        }
    }

    private static string? FieldPath(YamlNode variable) => Yaml.Scalar(variable, "valueFrom.fieldRef.fieldPath");

    /// <summary>The label key of a downward-API path <c>metadata.labels['key']</c> (or with double quotes); null for other paths.</summary>
    private static string? LabelOf(string fieldPath)
    {
        const string Prefix = "metadata.labels[";
        if (!fieldPath.StartsWith(Prefix, StringComparison.Ordinal) || !fieldPath.EndsWith(']') || fieldPath.Length < Prefix.Length + 3)
        {
            return null;
        }

        var quoted = fieldPath[Prefix.Length..^1];
        return quoted[0] == quoted[^1] && quoted[0] is '\'' or '"' ? quoted[1..^1] : null;
    }
}

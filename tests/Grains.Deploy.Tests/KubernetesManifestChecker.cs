using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Grains.Deploy.Tests;

/// <summary>
/// What the Grains manifests must get right, checked on parsed YAML: every document is named; the
/// silo Deployment is probed, stops gracefully, declares its http, Orleans silo and gateway ports and
/// its resources, carries the <c>orleans/*</c> labels that Orleans' Kubernetes hosting selects its
/// pods by (and the matching ids in its environment), gets its pod name, namespace and IP from the
/// downward API, runs as a ServiceAccount the hosting agent's Role is bound to (pods: get, list,
/// watch, patch, nothing more), and takes its secrets from a Secret that has them; a NetworkPolicy
/// admits only silos to the Orleans ports; the Service, the PodDisruptionBudget and the
/// HorizontalPodAutoscaler point at the silos (and the Service not at the Orleans ports); every
/// directory's kustomization lists exactly its manifest files. Returns the problems, one sentence each.
/// </summary>
public static partial class KubernetesManifestChecker
{
    public const int MinimumGracePeriodSeconds = 45;

    /// <summary>Orleans' silo-to-silo port when <c>Orleans__Endpoints__SiloPort</c> is not set.</summary>
    public const int DefaultSiloPort = 11111;

    /// <summary>Orleans' gateway port when <c>Orleans__Endpoints__GatewayPort</c> is not set.</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>The pod label Orleans' Kubernetes hosting reads the service id from (and selects pods by).</summary>
    public const string ServiceIdLabel = "orleans/serviceId";

    /// <summary>The pod label Orleans' Kubernetes hosting reads the cluster id from (and selects pods by).</summary>
    public const string ClusterIdLabel = "orleans/clusterId";

    /// <summary>The environment variables that must come from a Secret.</summary>
    public static readonly IReadOnlyList<string> SecretSettings = ["ConnectionStrings__grains", "Grains__AdminToken"];

    public static IReadOnlyList<string> Check(ManifestSet set)
    {
        var problems = new List<string>();
        CheckDocuments(set, problems);
        var silos = CheckDeployments(set, problems);
        CheckServices(set, silos, problems);
        CheckDisruptionBudgets(set, silos, problems);
        CheckAutoscalers(set, silos, problems);
        CheckHostingAgentAccess(set, silos, problems);
        CheckNetworkPolicies(set, silos, problems);
        CheckSecrets(set, problems);
        CheckKustomizations(set, problems);
        return problems;
    }

    /// <summary>A silo Deployment as the cross-document checks need it.</summary>
    private sealed record Silo(string Name, string Where, YamlNode Pod, IReadOnlyDictionary<string, string> PodLabels, int? HttpPort, int? SiloPort, int? GatewayPort);

    private static void CheckDocuments(ManifestSet set, List<string> problems)
    {
        foreach (var document in set.Documents)
        {
            if (document.Root is not YamlMappingNode)
            {
                problems.Add($"{document.File}: a document is not a mapping.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(document.ApiVersion))
            {
                problems.Add($"{document}: no apiVersion.");
            }

            if (string.IsNullOrWhiteSpace(document.Kind))
            {
                problems.Add($"{document}: no kind.");
            }

            if (document.Kind != "Kustomization" && string.IsNullOrWhiteSpace(document.Name))
            {
                problems.Add($"{document}: no metadata.name.");
            }
        }
    }

    private static List<Silo> CheckDeployments(ManifestSet set, List<string> problems)
    {
        var silos = new List<Silo>();
        var deployments = set.OfKind("Deployment").ToList();
        if (deployments.Count == 0)
        {
            problems.Add("No Deployment.");
        }

        foreach (var deployment in deployments)
        {
            var at = deployment.ToString();
            var root = deployment.Root;
            if (deployment.ApiVersion != "apps/v1")
            {
                problems.Add($"{at}: apiVersion must be apps/v1.");
            }

            var podLabels = Yaml.Strings(root, "spec.template.metadata.labels");
            var selector = Yaml.Strings(root, "spec.selector.matchLabels");
            if (selector.Count == 0 || !IsSubset(selector, podLabels))
            {
                problems.Add($"{at}: spec.selector.matchLabels must be non-empty and match the pod template's labels.");
            }

            var pod = Yaml.Get(root, "spec.template.spec");
            var grace = Yaml.Integer(pod, "terminationGracePeriodSeconds") ?? 30;
            if (grace < MinimumGracePeriodSeconds)
            {
                problems.Add($"{at}: terminationGracePeriodSeconds is {grace}; a silo needs at least {MinimumGracePeriodSeconds} to drain.");
            }

            var containers = Yaml.Sequence(pod, "containers");
            if (containers.Count == 0)
            {
                problems.Add($"{at}: no containers.");
                continue;
            }

            var container = containers[0];
            var where = $"{at} container {Yaml.Scalar(container, "name") ?? "(unnamed)"}";
            var ports = Yaml.Sequence(container, "ports")
                .Where(p => Yaml.Scalar(p, "name") is not null)
                .GroupBy(p => Yaml.Scalar(p, "name")!)
                .ToDictionary(g => g.Key, g => Yaml.Integer(g.First(), "containerPort"));
            ports.TryGetValue("http", out var httpPort);
            ports.TryGetValue("silo", out var siloPort);
            ports.TryGetValue("gateway", out var gatewayPort);
            foreach (var (name, port) in new[] { ("http", httpPort), ("silo", siloPort), ("gateway", gatewayPort) })
            {
                if (port is null)
                {
                    problems.Add($"{where}: declares no port named '{name}' (containerPort).");
                }
            }

            if (ports.ContainsKey("internal"))
            {
                problems.Add($"{where}: declares the port 'internal' of the removed Grains runtime; Orleans uses 'silo' and 'gateway'.");
            }

            foreach (var label in new[] { ServiceIdLabel, ClusterIdLabel })
            {
                if (!podLabels.TryGetValue(label, out var value) || string.IsNullOrWhiteSpace(value))
                {
                    problems.Add($"{at}: the pod template has no label {label} (Orleans' Kubernetes hosting selects its silos by it).");
                }
            }

            CheckProbe(container, "readinessProbe", "/health", httpPort, where, problems);
            CheckProbe(container, "livenessProbe", "/alive", httpPort, where, problems);
            if (Yaml.Get(container, "lifecycle.preStop") is not YamlMappingNode { Children.Count: > 0 })
            {
                problems.Add($"{where}: no lifecycle.preStop hook.");
            }

            foreach (var resource in new[] { "cpu", "memory" })
            {
                if (string.IsNullOrWhiteSpace(Yaml.Scalar(container, $"resources.requests.{resource}")))
                {
                    problems.Add($"{where}: no resources.requests.{resource}.");
                }
            }

            if ((Yaml.Sequence(container, "command").Concat(Yaml.Sequence(container, "args"))).Any(a => (a as YamlScalarNode)?.Value?.StartsWith("--silos", StringComparison.Ordinal) == true))
            {
                problems.Add($"{where}: --silos starts the local launcher, not a silo.");
            }

            var silo = new Silo(deployment.Name ?? "", at, pod!, podLabels, httpPort, siloPort, gatewayPort);
            CheckEnvironment(set, silo, container, where, problems);
            silos.Add(silo);
        }

        return silos;
    }

    private static void CheckProbe(YamlNode container, string probe, string path, int? httpPort, string where, List<string> problems)
    {
        if (Yaml.Get(container, probe) is null)
        {
            problems.Add($"{where}: no {probe}.");
            return;
        }

        if (Yaml.Scalar(container, $"{probe}.httpGet.path") != path)
        {
            problems.Add($"{where}: {probe} must GET {path}.");
        }

        var port = Yaml.Scalar(container, $"{probe}.httpGet.port");
        if (port != "http" && (httpPort is null || port != httpPort.Value.ToString(CultureInfo.InvariantCulture)))
        {
            problems.Add($"{where}: {probe} must be on the http port (found '{port}').");
        }
    }

    private static void CheckServices(ManifestSet set, List<Silo> silos, List<string> problems)
    {
        var services = set.OfKind("Service").ToList();
        if (services.Count == 0)
        {
            problems.Add("No Service.");
        }

        foreach (var service in services)
        {
            var selector = Yaml.Strings(service.Root, "spec.selector");
            var silo = silos.FirstOrDefault(s => selector.Count > 0 && IsSubset(selector, s.PodLabels));
            if (silo is null)
            {
                problems.Add($"{service}: spec.selector does not select the silo Deployment's pod labels.");
                continue;
            }

            var ports = Yaml.Sequence(service.Root, "spec.ports");
            foreach (var port in ports)
            {
                var target = Yaml.Scalar(port, "targetPort") ?? Yaml.Scalar(port, "port");
                foreach (var (name, number) in new[] { ("silo", silo.SiloPort), ("gateway", silo.GatewayPort) })
                {
                    if (target == name || (number is { } value && target == value.ToString(CultureInfo.InvariantCulture)))
                    {
                        problems.Add($"{service}: exposes the Orleans {name} port (only silos may reach it).");
                    }
                }
            }

            if (!ports.Any(p => Yaml.Integer(p, "port") == 80 && (Yaml.Scalar(p, "targetPort") == "http" || Yaml.Integer(p, "targetPort") == silo.HttpPort)))
            {
                problems.Add($"{service}: no port 80 to the http port.");
            }
        }
    }

    private static void CheckDisruptionBudgets(ManifestSet set, List<Silo> silos, List<string> problems)
    {
        var budgets = set.OfKind("PodDisruptionBudget").ToList();
        if (budgets.Count == 0)
        {
            problems.Add("No PodDisruptionBudget.");
        }

        foreach (var budget in budgets)
        {
            if (budget.ApiVersion != "policy/v1")
            {
                problems.Add($"{budget}: apiVersion must be policy/v1.");
            }

            var selector = Yaml.Strings(budget.Root, "spec.selector.matchLabels");
            if (selector.Count == 0 || !silos.Any(s => IsSubset(selector, s.PodLabels)))
            {
                problems.Add($"{budget}: spec.selector.matchLabels does not select the silo Deployment's pod labels.");
            }
        }
    }

    private static void CheckAutoscalers(ManifestSet set, List<Silo> silos, List<string> problems)
    {
        var autoscalers = set.OfKind("HorizontalPodAutoscaler").ToList();
        if (autoscalers.Count == 0)
        {
            problems.Add("No HorizontalPodAutoscaler.");
        }

        foreach (var autoscaler in autoscalers)
        {
            var root = autoscaler.Root;
            if (autoscaler.ApiVersion != "autoscaling/v2")
            {
                problems.Add($"{autoscaler}: apiVersion must be autoscaling/v2.");
            }

            if (Yaml.Scalar(root, "spec.scaleTargetRef.kind") != "Deployment"
                || Yaml.Scalar(root, "spec.scaleTargetRef.apiVersion") != "apps/v1"
                || !silos.Any(s => s.Name == Yaml.Scalar(root, "spec.scaleTargetRef.name")))
            {
                problems.Add($"{autoscaler}: spec.scaleTargetRef must be the silo Deployment (apps/v1 Deployment '{string.Join("', '", silos.Select(s => s.Name))}').");
            }

            if (!Yaml.Sequence(root, "spec.metrics").Any(m => Yaml.Scalar(m, "type") == "Resource" && Yaml.Scalar(m, "resource.name") == "cpu"))
            {
                problems.Add($"{autoscaler}: no CPU resource metric.");
            }

            if (Yaml.Integer(root, "spec.minReplicas") is not { } min || Yaml.Integer(root, "spec.maxReplicas") is not { } max || min < 1 || min > max)
            {
                problems.Add($"{autoscaler}: needs 1 <= minReplicas <= maxReplicas.");
            }
        }
    }

    private static void CheckSecrets(ManifestSet set, List<string> problems)
    {
        foreach (var secret in set.OfKind("Secret"))
        {
            if (Yaml.Get(secret.Root, "data") is YamlMappingNode { Children.Count: > 0 })
            {
                problems.Add($"{secret}: use stringData with REPLACE_ME placeholders, not data (a committed Secret holds no real value).");
            }

            foreach (var (key, value) in Yaml.Strings(secret.Root, "stringData"))
            {
                if (!value.Contains("REPLACE_ME", StringComparison.Ordinal))
                {
                    problems.Add($"{secret}: stringData.{key} is not marked as a placeholder (REPLACE_ME).");
                }
            }
        }
    }

    private static void CheckKustomizations(ManifestSet set, List<string> problems)
    {
        var directories = set.Files.Select(Directory).Distinct(StringComparer.Ordinal);
        foreach (var directory in directories)
        {
            var prefix = directory.Length == 0 ? "" : directory + "/";
            var kustomizationPath = prefix + "kustomization.yaml";
            var kustomization = set.Documents.FirstOrDefault(d => d.File == kustomizationPath);
            var manifests = set.Files.Where(f => Directory(f) == directory && f != kustomizationPath).ToList();
            if (kustomization is null)
            {
                problems.Add($"{(directory.Length == 0 ? "." : directory)}: no kustomization.yaml beside {string.Join(", ", manifests)}.");
                continue;
            }

            if (kustomization.Kind != "Kustomization")
            {
                problems.Add($"{kustomizationPath}: kind must be Kustomization.");
            }

            var resources = Yaml.Sequence(kustomization.Root, "resources").OfType<YamlScalarNode>().Select(r => r.Value ?? "").ToList();
            foreach (var manifest in manifests)
            {
                if (!resources.Contains(manifest[prefix.Length..]))
                {
                    problems.Add($"{kustomizationPath}: does not list {manifest[prefix.Length..]}.");
                }
            }

            foreach (var resource in resources)
            {
                var path = prefix + resource.TrimEnd('/');
                if (!set.Files.Contains(path) && !set.Files.Any(f => f.StartsWith(path + "/", StringComparison.Ordinal)))
                {
                    problems.Add($"{kustomizationPath}: lists {resource}, which does not exist.");
                }
            }
        }
    }

    private static ManifestDocument? FindSecret(ManifestSet set, string name) => set.OfKind("Secret").FirstOrDefault(s => s.Name == name);

    private static HashSet<string> SecretKeys(ManifestDocument secret) =>
        [.. Yaml.Strings(secret.Root, "stringData").Keys, .. Yaml.Strings(secret.Root, "data").Keys];

    private static bool IsSubset(IReadOnlyDictionary<string, string> subset, IReadOnlyDictionary<string, string> labels) =>
        subset.All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);

    private static string Directory(string file)
    {
        var slash = file.LastIndexOf('/');
        return slash < 0 ? "" : file[..slash];
    }
}

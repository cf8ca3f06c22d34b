using YamlDotNet.RepresentationModel;

namespace Grains.Deploy.Tests;

public sealed class KubernetesManifestTests
{
    private const string Container = "spec.template.spec.containers[0]";

    private static string ManifestRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "deploy", "kubernetes");
            if (File.Exists(Path.Combine(directory.FullName, "Grains.sln")) && Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("deploy/kubernetes not found above " + AppContext.BaseDirectory);
    }

    private static ManifestSet Load() => ManifestSet.Load(ManifestRoot());

    [Fact]
    public void The_manifests_have_no_problems() =>
        Assert.Empty(KubernetesManifestChecker.Check(Load()));

    [Fact]
    public void Every_part_is_there()
    {
        var set = Load();
        foreach (var kind in new[] { "Namespace", "ConfigMap", "Secret", "ServiceAccount", "Role", "RoleBinding", "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy", "Cluster" })
        {
            Assert.True(set.OfKind(kind).Any(), $"no {kind}");
        }

        Assert.Contains("kustomization.yaml", set.Files);
        Assert.Contains("postgres-cnpg/kustomization.yaml", set.Files);
    }

    [Fact]
    public void The_optional_postgres_cluster_is_the_one_the_connection_string_names()
    {
        var set = Load();
        var cluster = set.Single("Cluster");
        Assert.Equal("postgresql.cnpg.io/v1", cluster.ApiVersion);
        Assert.Equal("postgres-cnpg/cluster.yaml", cluster.File);
        Assert.Equal("grains", Yaml.Scalar(cluster.Root, "spec.bootstrap.initdb.database"));
        var connectionString = Yaml.Scalar(set.Single("Secret").Root, "stringData.ConnectionStrings__grains");
        Assert.Contains($"Host={cluster.Name}-rw;", connectionString, StringComparison.Ordinal);
        Assert.Contains("Database=grains;", connectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void The_silo_stops_within_its_grace_period_and_rolls_out_one_at_a_time()
    {
        var deployment = Load().Single("Deployment").Root;
        var grace = Yaml.Integer(deployment, "spec.template.spec.terminationGracePeriodSeconds");
        // preStop sleep + the server's 40 s shutdown must fit.
        var preStop = Yaml.Sequence(deployment, $"{Container}.lifecycle.preStop.exec.command").Select(n => ((YamlScalarNode)n).Value).ToList();
        Assert.Equal("sleep", preStop[0]);
        Assert.True(grace >= int.Parse(preStop[1]!) + 40, $"grace {grace}");
        Assert.Equal("RollingUpdate", Yaml.Scalar(deployment, "spec.strategy.type"));
        Assert.Equal("0", Yaml.Scalar(deployment, "spec.strategy.rollingUpdate.maxUnavailable"));
    }

    [Fact]
    public void The_hosting_agent_may_get_list_watch_and_patch_pods_and_nothing_else()
    {
        var set = Load();
        var pod = Yaml.Get(set.Single("Deployment").Root, "spec.template.spec");
        var account = Yaml.Scalar(pod, "serviceAccountName");
        Assert.Equal("true", Yaml.Scalar(pod, "automountServiceAccountToken"));
        Assert.Equal(account, set.Single("ServiceAccount").Name);

        var binding = set.Single("RoleBinding").Root;
        var subject = Assert.Single(Yaml.Sequence(binding, "subjects"));
        Assert.Equal("ServiceAccount", Yaml.Scalar(subject, "kind"));
        Assert.Equal(account, Yaml.Scalar(subject, "name"));
        Assert.Null(Yaml.Scalar(subject, "namespace")); // the binding's own, which kustomization.yaml sets
        Assert.Equal("Role", Yaml.Scalar(binding, "roleRef.kind"));
        Assert.Equal(set.Single("Role").Name, Yaml.Scalar(binding, "roleRef.name"));

        var rule = Assert.Single(Yaml.Sequence(set.Single("Role").Root, "rules"));
        Assert.Equal(new[] { "" }, Strings(rule, "apiGroups"));
        Assert.Equal(new[] { "pods" }, Strings(rule, "resources"));
        Assert.Equal(new[] { "get", "list", "patch", "watch" }, Strings(rule, "verbs").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_orleans_ids_are_the_pod_labels_and_the_ports_are_orleans_defaults()
    {
        var deployment = Load().Single("Deployment").Root;
        var labels = Yaml.Strings(deployment, "spec.template.metadata.labels");
        Assert.Equal("grains", labels["orleans/serviceId"]);
        Assert.Equal("grains", labels["orleans/clusterId"]);

        var env = Yaml.Sequence(deployment, $"{Container}.env").ToDictionary(e => Yaml.Scalar(e, "name")!, e => e);
        Assert.Equal("metadata.labels['orleans/serviceId']", Yaml.Scalar(env["ORLEANS_SERVICE_ID"], "valueFrom.fieldRef.fieldPath"));
        Assert.Equal("metadata.labels['orleans/clusterId']", Yaml.Scalar(env["ORLEANS_CLUSTER_ID"], "valueFrom.fieldRef.fieldPath"));
        Assert.DoesNotContain(env.Keys, name => name.StartsWith("Grains__Cluster__", StringComparison.Ordinal));

        var ports = Yaml.Sequence(deployment, $"{Container}.ports").ToDictionary(p => Yaml.Scalar(p, "name")!, p => Yaml.Integer(p, "containerPort"));
        Assert.Equal(KubernetesManifestChecker.DefaultSiloPort, ports["silo"]);
        Assert.Equal(KubernetesManifestChecker.DefaultGatewayPort, ports["gateway"]);
        Assert.False(ports.ContainsKey("internal"));
    }

    /// <summary>Each malformed case: a change to the real manifests, and what the checker must say.</summary>
    private static readonly Dictionary<string, (Action<ManifestSet> Break, string Expected)> Cases = new()
    {
        ["readiness probe missing"] = (s => Remove(s, "Deployment", $"{Container}.readinessProbe"), "no readinessProbe"),
        ["readiness probe on /alive"] = (s => Set(s, "Deployment", $"{Container}.readinessProbe.httpGet.path", "/alive"), "readinessProbe must GET /health"),
        ["liveness probe missing"] = (s => Remove(s, "Deployment", $"{Container}.livenessProbe"), "no livenessProbe"),
        ["liveness probe on /health"] = (s => Set(s, "Deployment", $"{Container}.livenessProbe.httpGet.path", "/health"), "livenessProbe must GET /alive"),
        ["liveness probe on the silo port"] = (s => Set(s, "Deployment", $"{Container}.livenessProbe.httpGet.port", "silo"), "livenessProbe must be on the http port (found 'silo')"),
        ["readiness probe on port 11111"] = (s => Set(s, "Deployment", $"{Container}.readinessProbe.httpGet.port", "11111"), "readinessProbe must be on the http port (found '11111')"),
        ["silo port not declared"] = (s => Remove(s, "Deployment", $"{Container}.ports[1]"), "declares no port named 'silo'"),
        ["gateway port not declared"] = (s => Remove(s, "Deployment", $"{Container}.ports[2]"), "declares no port named 'gateway'"),
        ["http port not declared"] = (s => Remove(s, "Deployment", $"{Container}.ports[0]"), "declares no port named 'http'"),
        ["the old runtime's internal port"] = (s => SetNode(s, "Deployment", $"{Container}.ports[1]", "{name: internal, containerPort: 11111}"), "declares the port 'internal' of the removed Grains runtime"),
        ["grace period too short"] = (s => Set(s, "Deployment", "spec.template.spec.terminationGracePeriodSeconds", "30"), "terminationGracePeriodSeconds is 30"),
        ["grace period left at the default"] = (s => Remove(s, "Deployment", "spec.template.spec.terminationGracePeriodSeconds"), "terminationGracePeriodSeconds is 30"),
        ["no preStop hook"] = (s => Remove(s, "Deployment", $"{Container}.lifecycle"), "no lifecycle.preStop hook"),
        ["no resource requests"] = (s => Remove(s, "Deployment", $"{Container}.resources.requests"), "no resources.requests.cpu"),
        ["pod IP from the node IP"] = (s => Set(s, "Deployment", Env(s, "POD_IP") + ".valueFrom.fieldRef.fieldPath", "status.hostIP"), "env POD_IP must come from fieldRef status.podIP"),
        ["pod name as a fixed value"] = (s => SetNode(s, "Deployment", Env(s, "POD_NAME"), "{name: POD_NAME, value: grains-silo-0}"), "env POD_NAME must come from fieldRef metadata.name"),
        ["pod namespace missing"] = (s => Remove(s, "Deployment", Env(s, "POD_NAMESPACE")), "env POD_NAMESPACE must come from fieldRef metadata.namespace"),
        ["advertised address as a fixed value"] = (s => AddEnv(s, "{name: Orleans__Endpoints__AdvertisedIPAddress, value: 10.0.0.1}"), "env Orleans__Endpoints__AdvertisedIPAddress must come from fieldRef status.podIP"),
        ["service id label missing"] = (s => Remove(s, "Deployment", "spec.template.metadata.labels.orleans/serviceId"), "the pod template has no label orleans/serviceId"),
        ["cluster id label missing"] = (s => Remove(s, "Deployment", "spec.template.metadata.labels.orleans/clusterId"), "the pod template has no label orleans/clusterId"),
        ["service id env differs from its label"] = (s => SetNode(s, "Deployment", Env(s, "ORLEANS_SERVICE_ID"), "{name: ORLEANS_SERVICE_ID, value: other}"), "env ORLEANS_SERVICE_ID ('other') differs from the pod label orleans/serviceId ('grains')"),
        ["cluster id env read from the service id label"] = (s =>
        {
            Set(s, "Deployment", "spec.template.metadata.labels.orleans/clusterId", "blue");
            Set(s, "Deployment", Env(s, "ORLEANS_CLUSTER_ID") + ".valueFrom.fieldRef.fieldPath", "metadata.labels['orleans/serviceId']");
        }, "env ORLEANS_CLUSTER_ID ('grains') differs from the pod label orleans/clusterId ('blue')"),
        ["cluster id env missing"] = (s => Remove(s, "Deployment", Env(s, "ORLEANS_CLUSTER_ID")), "env ORLEANS_CLUSTER_ID must be set (from the pod label orleans/clusterId)"),
        ["Orleans configuration id differs from its label"] = (s => SetNode(s, "Deployment", Env(s, "Orleans__ServiceId"), "{name: Orleans__ServiceId, value: grains-2}"), "env Orleans__ServiceId ('grains-2') differs from the pod label orleans/serviceId ('grains')"),
        ["a setting of the removed runtime in the environment"] = (s => AddEnv(s, "{name: Grains__Cluster__InternalPort, value: '11111'}"), "env Grains__Cluster__InternalPort is a setting of the removed Grains runtime"),
        ["a setting of the removed runtime in the configmap"] = (s => Set(s, "ConfigMap", "data.Grains__Runtime__PartitionCount", "64"), "env Grains__Runtime__PartitionCount is a setting of the removed Grains runtime"),
        ["admin token as a plain value"] = (s => SetNode(s, "Deployment", Env(s, "Grains__AdminToken"), "{name: Grains__AdminToken, value: grains_x}"), "env Grains__AdminToken must come from a Secret"),
        ["connection string missing"] = (s => Remove(s, "Deployment", Env(s, "ConnectionStrings__grains")), "env ConnectionStrings__grains must come from a Secret"),
        ["secret lacks a referenced key"] = (s => Remove(s, "Secret", "stringData.Grains__AdminToken"), "reads key 'Grains__AdminToken', which Secret 'grains-secrets' does not have"),
        ["referenced secret missing"] = (s => Set(s, "Secret", "metadata.name", "other-secrets"), "names Secret 'grains-secrets', which is not in the manifests"),
        ["referenced configmap missing"] = (s => Set(s, "ConfigMap", "metadata.name", "other-config"), "envFrom names ConfigMap 'grains-config'"),
        ["storage provider sqlite"] = (s => Set(s, "Deployment", Env(s, "Grains__Storage__Provider") + ".value", "sqlite"), "Grains__Storage__Provider must be postgres (found 'sqlite')"),
        ["url on loopback"] = (s => Set(s, "Deployment", Env(s, "Grains__Url") + ".value", "http://127.0.0.1:8000"), "Grains__Url must listen on every address"),
        ["silo port setting differs from the container port"] = (s => Set(s, "Deployment", Env(s, "Orleans__Endpoints__SiloPort") + ".value", "12000"), "Orleans__Endpoints__SiloPort (12000) differs from the 'silo' container port (11111)"),
        ["gateway container port moved, setting left at the default"] = (s =>
        {
            Set(s, "Deployment", $"{Container}.ports[2].containerPort", "40000");
            Remove(s, "Deployment", Env(s, "Orleans__Endpoints__GatewayPort"));
        }, "Orleans__Endpoints__GatewayPort (default 30000) differs from the 'gateway' container port (40000)"),
        ["no service account"] = (s => Remove(s, "Deployment", "spec.template.spec.serviceAccountName"), "serviceAccountName must name the ServiceAccount"),
        ["the default service account"] = (s => Set(s, "Deployment", "spec.template.spec.serviceAccountName", "default"), "serviceAccountName must name the ServiceAccount"),
        ["service account not in the manifests"] = (s => Set(s, "Deployment", "spec.template.spec.serviceAccountName", "other"), "serviceAccountName names ServiceAccount 'other', which is not in the manifests"),
        ["service account token not mounted"] = (s => Set(s, "Deployment", "spec.template.spec.automountServiceAccountToken", "false"), "automountServiceAccountToken is false"),
        ["service account token off on the account"] = (s =>
        {
            Remove(s, "Deployment", "spec.template.spec.automountServiceAccountToken");
            Set(s, "ServiceAccount", "automountServiceAccountToken", "false");
        }, "automountServiceAccountToken is false"),
        ["role cannot patch pods"] = (s => SetNode(s, "Role", "rules[0].verbs", "[get, list, watch]"), "may not patch pods"),
        ["role cannot watch pods"] = (s => SetNode(s, "Role", "rules[0].verbs", "[get, list, patch]"), "may not watch pods"),
        ["role for services instead of pods"] = (s => SetNode(s, "Role", "rules[0].resources", "[services]"), "may not get, list, watch, patch pods"),
        ["role may delete pods"] = (s => SetNode(s, "Role", "rules[0].verbs", "[get, list, watch, patch, delete]"), "grants more than the hosting agent needs (verbs delete)"),
        ["role may do anything"] = (s => SetNode(s, "Role", "rules[0].verbs", "['*']"), "grants more than the hosting agent needs (verbs *)"),
        ["role on secrets too"] = (s => SetNode(s, "Role", "rules[0].resources", "[pods, secrets]"), "grants more than the hosting agent needs (apiGroups"),
        ["role v1beta1 API"] = (s => Set(s, "Role", "apiVersion", "rbac.authorization.k8s.io/v1beta1"), "Role grains-silo: apiVersion must be rbac.authorization.k8s.io/v1"),
        ["binding names another account"] = (s => Set(s, "RoleBinding", "subjects[0].name", "other"), "no RoleBinding binds ServiceAccount 'grains-silo'"),
        ["binding names a missing role"] = (s => Set(s, "RoleBinding", "roleRef.name", "other"), "roleRef names Role 'other', which is not in the manifests"),
        ["binding subject in another namespace"] = (s => Set(s, "RoleBinding", "subjects[0].namespace", "default"), "the subject's namespace 'default' differs from the kustomization's namespace 'grains'"),
        ["network policy admits everyone to the silo port"] = (s => Remove(s, "NetworkPolicy", "spec.ingress[1].from"), "admits every source to the silo port"),
        ["network policy admits another namespace"] = (s => SetNode(s, "NetworkPolicy", "spec.ingress[1].from", "[{namespaceSelector: {}}]"), "admits a peer by namespaceSelector to the silo port"),
        ["network policy admits other pods"] = (s => SetNode(s, "NetworkPolicy", "spec.ingress[1].from", "[{podSelector: {matchLabels: {app: other}}}]"), "admits a peer by podSelector to the silo port"),
        ["network policy admits every pod"] = (s => SetNode(s, "NetworkPolicy", "spec.ingress[1].from", "[{podSelector: {}}]"), "admits a peer by podSelector to the gateway port"),
        ["network policy admits an address range"] = (s => SetNode(s, "NetworkPolicy", "spec.ingress[1].from", "[{ipBlock: {cidr: 10.0.0.0/8}}]"), "admits a peer by ipBlock to the silo port"),
        ["network policy opens the gateway with the http port"] = (s => SetNode(s, "NetworkPolicy", "spec.ingress[0].ports", "[{port: http}, {port: gateway}]"), "admits every source to the gateway port"),
        ["network policy opens the silo port by number"] = (s => SetNode(s, "NetworkPolicy", "spec.ingress[0].ports", "[{port: http}, {port: 11000, endPort: 12000}]"), "admits every source to the silo port"),
        ["network policy opens every port"] = (s => Remove(s, "NetworkPolicy", "spec.ingress[0].ports"), "admits every source to the silo port"),
        ["network policy selects other pods"] = (s => SetNode(s, "NetworkPolicy", "spec.podSelector", "{matchLabels: {app: other}}"), "no NetworkPolicy restricts ingress to the silo pods"),
        ["network policy for egress only"] = (s => SetNode(s, "NetworkPolicy", "spec.policyTypes", "[Egress]"), "no NetworkPolicy restricts ingress to the silo pods"),
        ["network policy blocks the http port"] = (s => Remove(s, "NetworkPolicy", "spec.ingress[0]"), "the NetworkPolicy does not admit the http port"),
        ["launcher arguments in a pod"] = (s => SetNode(s, "Deployment", $"{Container}.args", "[--silos, '3', --postgres]"), "--silos starts the local launcher"),
        ["service exposes the silo port"] = (s => SetNode(s, "Service", "spec.ports", "[{name: http, port: 80, targetPort: http}, {name: silo, port: 11111, targetPort: silo}]"), "exposes the Orleans silo port"),
        ["service exposes the silo port by number"] = (s => SetNode(s, "Service", "spec.ports", "[{name: http, port: 80, targetPort: http}, {name: x, port: 11111}]"), "exposes the Orleans silo port"),
        ["service exposes the gateway port"] = (s => SetNode(s, "Service", "spec.ports", "[{name: http, port: 80, targetPort: http}, {name: orleans, port: 30000, targetPort: gateway}]"), "exposes the Orleans gateway port"),
        ["service without port 80"] = (s => SetNode(s, "Service", "spec.ports", "[{name: http, port: 8080, targetPort: http}]"), "no port 80 to the http port"),
        ["service selects other pods"] = (s => SetNode(s, "Service", "spec.selector", "{app.kubernetes.io/name: grains, app.kubernetes.io/component: dashboard}"), "Service grains: spec.selector does not select"),
        ["service selects everything"] = (s => Remove(s, "Service", "spec.selector"), "Service grains: spec.selector does not select"),
        ["deployment selector does not match its pods"] = (s => SetNode(s, "Deployment", "spec.selector.matchLabels", "{app: other}"), "spec.selector.matchLabels must be non-empty and match"),
        ["disruption budget selects other pods"] = (s => SetNode(s, "PodDisruptionBudget", "spec.selector.matchLabels", "{app: other}"), "PodDisruptionBudget grains-silo: spec.selector.matchLabels does not select"),
        ["disruption budget beta API"] = (s => Set(s, "PodDisruptionBudget", "apiVersion", "policy/v1beta1"), "apiVersion must be policy/v1"),
        ["autoscaler targets another deployment"] = (s => Set(s, "HorizontalPodAutoscaler", "spec.scaleTargetRef.name", "grains-web"), "spec.scaleTargetRef must be the silo Deployment"),
        ["autoscaler targets a statefulset"] = (s => Set(s, "HorizontalPodAutoscaler", "spec.scaleTargetRef.kind", "StatefulSet"), "spec.scaleTargetRef must be the silo Deployment"),
        ["autoscaler v1 API"] = (s => Set(s, "HorizontalPodAutoscaler", "apiVersion", "autoscaling/v1"), "apiVersion must be autoscaling/v2"),
        ["autoscaler without a cpu metric"] = (s => SetNode(s, "HorizontalPodAutoscaler", "spec.metrics", "[{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}}]"), "no CPU resource metric"),
        ["autoscaler min above max"] = (s => Set(s, "HorizontalPodAutoscaler", "spec.minReplicas", "20"), "needs 1 <= minReplicas <= maxReplicas"),
        ["a real value in the committed secret"] = (s => Set(s, "Secret", "stringData.Grains__AdminToken", "grains_0123456789abcdef"), "stringData.Grains__AdminToken is not marked as a placeholder"),
        ["kustomization misses a manifest"] = (s => RemoveResource(s, "kustomization.yaml", "hpa.yaml"), "kustomization.yaml: does not list hpa.yaml"),
        ["kustomization lists a missing file"] = (s => AddResource(s, "kustomization.yaml", "ingress.yaml"), "kustomization.yaml: lists ingress.yaml, which does not exist"),
        ["a new manifest not in the kustomization"] = (s => AddFile(s, "ingress.yaml", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: grains\n"), "kustomization.yaml: does not list ingress.yaml"),
        ["optional directory without a kustomization"] = (s => RemoveFile(s, "postgres-cnpg/kustomization.yaml"), "postgres-cnpg: no kustomization.yaml beside postgres-cnpg/cluster.yaml"),
        ["optional kustomization misses its manifest"] = (s => RemoveResource(s, "postgres-cnpg/kustomization.yaml", "cluster.yaml"), "postgres-cnpg/kustomization.yaml: does not list cluster.yaml"),
        ["document without a name"] = (s => Remove(s, "ConfigMap", "metadata.name"), "ConfigMap (no name): no metadata.name"),
        ["document without a kind"] = (s => Remove(s, "PodDisruptionBudget", "kind"), "(no kind) grains-silo: no kind"),
        ["document without an apiVersion"] = (s => Remove(s, "NetworkPolicy", "apiVersion"), "NetworkPolicy grains-silo: no apiVersion"),
        ["a document that is a list"] = (s => AddFile(s, "list.yaml", "- a\n- b\n"), "list.yaml: a document is not a mapping"),
    };

    public static TheoryData<string> CaseNames() => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void A_malformed_manifest_is_reported(string name)
    {
        var (breakIt, expected) = Cases[name];
        var set = Load();
        breakIt(set);

        var problems = KubernetesManifestChecker.Check(set);

        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"expected a problem containing \"{expected}\"; got:\n{string.Join('\n', problems)}");
    }

    [Fact]
    public void A_checker_problem_names_the_file_and_the_object()
    {
        var set = Load();
        Remove(set, "Deployment", $"{Container}.readinessProbe");
        var problem = Assert.Single(KubernetesManifestChecker.Check(set));
        Assert.Equal("deployment.yaml: Deployment grains-silo container silo: no readinessProbe.", problem);
    }

    private static YamlNode Root(ManifestSet set, string kind) => set.OfKind(kind).First().Root;

    private static void Remove(ManifestSet set, string kind, string path) =>
        Assert.True(Yaml.Remove(Root(set, kind), path), $"{kind} has no {path}");

    private static void Set(ManifestSet set, string kind, string path, string value) =>
        Yaml.Set(Root(set, kind), path, new YamlScalarNode(value));

    private static void SetNode(ManifestSet set, string kind, string path, string yaml) =>
        Yaml.Set(Root(set, kind), path, Yaml.Parse(yaml));

    /// <summary>The path of the silo container's environment variable <paramref name="name"/>.</summary>
    private static string Env(ManifestSet set, string name)
    {
        var env = Yaml.Sequence(Root(set, "Deployment"), $"{Container}.env");
        var index = env.ToList().FindIndex(e => Yaml.Scalar(e, "name") == name);
        Assert.True(index >= 0, $"no env {name}");
        return $"{Container}.env[{index}]";
    }

    private static void AddEnv(ManifestSet set, string yaml) =>
        ((YamlSequenceNode)Yaml.Get(Root(set, "Deployment"), $"{Container}.env")!).Children.Add(Yaml.Parse(yaml));

    private static List<string> Strings(YamlNode node, string path) =>
        [.. Yaml.Sequence(node, path).Select(n => ((YamlScalarNode)n).Value ?? "")];

    private static YamlSequenceNode Resources(ManifestSet set, string file) =>
        (YamlSequenceNode)Yaml.Get(set.Documents.Single(d => d.File == file).Root, "resources")!;

    private static void RemoveResource(ManifestSet set, string file, string resource)
    {
        var resources = Resources(set, file);
        Assert.True(resources.Children.Remove(resources.Children.Single(r => ((YamlScalarNode)r).Value == resource)));
    }

    private static void AddResource(ManifestSet set, string file, string resource) => Resources(set, file).Children.Add(new YamlScalarNode(resource));

    private static void AddFile(ManifestSet set, string path, string text)
    {
        var extra = ManifestSet.Parse([(path, text)]);
        set.Files.AddRange(extra.Files);
        set.Documents.AddRange(extra.Documents);
    }

    private static void RemoveFile(ManifestSet set, string path)
    {
        set.Files.Remove(path);
        set.Documents.RemoveAll(d => d.File == path);
    }
}

using YamlDotNet.RepresentationModel;

namespace Grains.Deploy.Tests;

/// <summary>The access of Orleans' Kubernetes hosting agent: ServiceAccount, Role, RoleBinding.</summary>
public static partial class KubernetesManifestChecker
{
    /// <summary>
    /// What the hosting agent does with pods: reads and watches the cluster's pods, labels its own.
    /// (It deletes pods only with <c>DeleteDefunctSiloPods</c>, which Grains leaves off.)
    /// </summary>
    public static readonly IReadOnlyList<string> HostingAgentVerbs = ["get", "list", "watch", "patch"];

    private const string RbacApiVersion = "rbac.authorization.k8s.io/v1";

    private static void CheckHostingAgentAccess(ManifestSet set, List<Silo> silos, List<string> problems)
    {
        foreach (var document in set.OfKind("Role").Concat(set.OfKind("RoleBinding")))
        {
            if (document.ApiVersion != RbacApiVersion)
            {
                problems.Add($"{document}: apiVersion must be {RbacApiVersion}.");
            }
        }

        var kustomizationNamespace = set.Documents.FirstOrDefault(d => d.File == "kustomization.yaml") is { } root ? Yaml.Scalar(root.Root, "namespace") : null;
        foreach (var silo in silos)
        {
            var account = Yaml.Scalar(silo.Pod, "serviceAccountName") ?? Yaml.Scalar(silo.Pod, "serviceAccount");
            if (string.IsNullOrWhiteSpace(account) || account == "default")
            {
                problems.Add($"{silo.Where}: spec.template.spec.serviceAccountName must name the ServiceAccount of Orleans' Kubernetes hosting agent (not the namespace's default account).");
                continue;
            }

            var serviceAccount = set.OfKind("ServiceAccount").FirstOrDefault(a => a.Name == account);
            if (serviceAccount is null)
            {
                problems.Add($"{silo.Where}: serviceAccountName names ServiceAccount '{account}', which is not in the manifests.");
                continue;
            }

            var podMount = Yaml.Scalar(silo.Pod, "automountServiceAccountToken");
            if (podMount == "false" || (podMount is null && Yaml.Scalar(serviceAccount.Root, "automountServiceAccountToken") == "false"))
            {
                problems.Add($"{silo.Where}: automountServiceAccountToken is false; Orleans' Kubernetes hosting needs the service account token to reach the Kubernetes API.");
            }

            var bindings = set.OfKind("RoleBinding")
                .Where(b => Yaml.Sequence(b.Root, "subjects").Any(s => Yaml.Scalar(s, "kind") == "ServiceAccount" && Yaml.Scalar(s, "name") == account))
                .ToList();
            if (bindings.Count == 0)
            {
                problems.Add($"{silo.Where}: no RoleBinding binds ServiceAccount '{account}' to the hosting agent's Role.");
                continue;
            }

            var granted = new HashSet<string>(StringComparer.Ordinal);
            foreach (var binding in bindings)
            {
                foreach (var subject in Yaml.Sequence(binding.Root, "subjects").Where(s => Yaml.Scalar(s, "name") == account))
                {
                    if (Yaml.Scalar(subject, "namespace") is { } subjectNamespace && kustomizationNamespace is not null && subjectNamespace != kustomizationNamespace)
                    {
                        problems.Add($"{binding}: the subject's namespace '{subjectNamespace}' differs from the kustomization's namespace '{kustomizationNamespace}'.");
                    }
                }

                var roleName = Yaml.Scalar(binding.Root, "roleRef.name");
                var role = Yaml.Scalar(binding.Root, "roleRef.kind") == "Role" ? set.OfKind("Role").FirstOrDefault(r => r.Name == roleName) : null;
                if (role is null)
                {
                    problems.Add($"{binding}: roleRef names Role '{roleName}', which is not in the manifests.");
                    continue;
                }

                CheckHostingAgentRole(role, granted, problems);
            }

            var missing = HostingAgentVerbs.Where(v => !granted.Contains(v) && !granted.Contains("*")).ToList();
            if (missing.Count > 0)
            {
                problems.Add($"{silo.Where}: ServiceAccount '{account}' may not {string.Join(", ", missing)} pods; Orleans' Kubernetes hosting needs pods {string.Join(", ", HostingAgentVerbs)}.");
            }
        }
    }

    /// <summary>Adds the verbs the Role grants on pods to <paramref name="granted"/>; reports anything beyond what the agent needs.</summary>
    private static void CheckHostingAgentRole(ManifestDocument role, HashSet<string> granted, List<string> problems)
    {
        foreach (var rule in Yaml.Sequence(role.Root, "rules"))
        {
            var groups = Scalars(rule, "apiGroups");
            var resources = Scalars(rule, "resources");
            var verbs = Scalars(rule, "verbs");
            if (groups.Any(g => g is not "") || resources.Any(r => r != "pods"))
            {
                problems.Add($"{role}: grants more than the hosting agent needs (apiGroups [{string.Join(", ", groups.Select(g => $"'{g}'"))}], resources [{string.Join(", ", resources)}]); only pods in the core group.");
            }

            var extra = verbs.Where(v => !HostingAgentVerbs.Contains(v)).ToList();
            if (extra.Count > 0)
            {
                problems.Add($"{role}: grants more than the hosting agent needs (verbs {string.Join(", ", extra)}); only {string.Join(", ", HostingAgentVerbs)}.");
            }

            if (groups.Contains("") || groups.Contains("*"))
            {
                if (resources.Contains("pods") || resources.Contains("*"))
                {
                    granted.UnionWith(verbs);
                }
            }
        }
    }

    private static List<string> Scalars(YamlNode node, string path) =>
        [.. Yaml.Sequence(node, path).OfType<YamlScalarNode>().Select(n => n.Value ?? "")];
}

using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Grains.Deploy.Tests;

/// <summary>
/// The NetworkPolicy of the silos: Orleans' silo-to-silo protocol authenticates nobody, so the
/// silo and gateway ports may be reached only from silo pods; the http port must stay reachable.
/// </summary>
public static partial class KubernetesManifestChecker
{
    private static void CheckNetworkPolicies(ManifestSet set, List<Silo> silos, List<string> problems)
    {
        foreach (var silo in silos)
        {
            var policies = set.OfKind("NetworkPolicy").Where(p => RestrictsIngressOf(p, silo)).ToList();
            if (policies.Count == 0)
            {
                problems.Add($"{silo.Where}: no NetworkPolicy restricts ingress to the silo pods, so the Orleans ports are open to every pod.");
                continue;
            }

            var rules = policies.SelectMany(p => Yaml.Sequence(p.Root, "spec.ingress").Select(r => (Policy: p, Rule: r))).ToList();
            foreach (var (name, number) in new[] { ("silo", silo.SiloPort), ("gateway", silo.GatewayPort) })
            {
                foreach (var (policy, rule) in rules.Where(r => Covers(r.Rule, name, number)))
                {
                    var peers = Yaml.Sequence(rule, "from");
                    if (peers.Count == 0)
                    {
                        problems.Add($"{policy}: admits every source to the {name} port; only the silo pods may connect.");
                        continue;
                    }

                    foreach (var peer in peers.Where(peer => !IsSiloPeer(peer, silo)))
                    {
                        problems.Add($"{policy}: admits {Describe(peer)} to the {name} port; only the silo pods may connect.");
                    }
                }
            }

            if (!rules.Any(r => Covers(r.Rule, "http", silo.HttpPort)))
            {
                problems.Add($"{silo.Where}: the NetworkPolicy does not admit the http port (ingest and API would be unreachable).");
            }
        }
    }

    /// <summary>Whether the policy selects the silo's pods and governs their ingress.</summary>
    private static bool RestrictsIngressOf(ManifestDocument policy, Silo silo)
    {
        var types = Yaml.Sequence(policy.Root, "spec.policyTypes").OfType<YamlScalarNode>().Select(t => t.Value).ToList();
        if (types.Count > 0 && !types.Contains("Ingress"))
        {
            return false;
        }

        // An empty podSelector selects every pod of the namespace, the silos included.
        var selector = Yaml.Strings(policy.Root, "spec.podSelector.matchLabels");
        return Yaml.Get(policy.Root, "spec.podSelector.matchExpressions") is null && IsSubset(selector, silo.PodLabels);
    }

    /// <summary>Whether an ingress rule admits traffic to the port (a rule without ports admits every port).</summary>
    private static bool Covers(YamlNode rule, string name, int? number)
    {
        var ports = Yaml.Sequence(rule, "ports");
        if (ports.Count == 0)
        {
            return true;
        }

        return ports.Any(p =>
        {
            var port = Yaml.Scalar(p, "port");
            if (port is null)
            {
                return true; // protocol only: every port
            }

            if (port == name)
            {
                return true;
            }

            if (number is not { } value || !int.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out var first))
            {
                return false;
            }

            var last = Yaml.Integer(p, "endPort") ?? first;
            return first <= value && value <= last;
        });
    }

    /// <summary>A peer that is only silo pods of the policy's own namespace: a podSelector that matches silo labels, nothing else.</summary>
    private static bool IsSiloPeer(YamlNode peer, Silo silo)
    {
        if (peer is not YamlMappingNode mapping || mapping.Children.Count != 1 || Yaml.Get(peer, "podSelector") is null)
        {
            return false;
        }

        var labels = Yaml.Strings(peer, "podSelector.matchLabels");
        return labels.Count > 0 && Yaml.Get(peer, "podSelector.matchExpressions") is null && IsSubset(labels, silo.PodLabels);
    }

    private static string Describe(YamlNode peer) =>
        peer is YamlMappingNode mapping && mapping.Children.Count > 0
            ? "a peer by " + string.Join(" + ", mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value))
            : "an empty peer (every source)";
}

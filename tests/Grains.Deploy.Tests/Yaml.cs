using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Grains.Deploy.Tests;

/// <summary>
/// Paths into a YAML tree: <c>spec.template.spec.containers[0].readinessProbe</c>. Reading never
/// throws (a missing step gives null); <see cref="Remove"/> and <see cref="Set"/> change a tree (the
/// malformed-manifest tests).
/// </summary>
public static class Yaml
{
    public static YamlNode? Get(YamlNode? node, string path)
    {
        foreach (var (key, index) in Steps(path))
        {
            node = node is YamlMappingNode mapping && mapping.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;
            if (index is { } i)
            {
                node = node is YamlSequenceNode sequence && i < sequence.Children.Count ? sequence.Children[i] : null;
            }

            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    public static string? Scalar(YamlNode? node, string path) => (Get(node, path) as YamlScalarNode)?.Value;

    public static int? Integer(YamlNode? node, string path) =>
        int.TryParse(Scalar(node, path), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    public static IReadOnlyList<YamlNode> Sequence(YamlNode? node, string path) =>
        Get(node, path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    /// <summary>A mapping of scalars (labels, ConfigMap data) as a dictionary; other entries are left out.</summary>
    public static IReadOnlyDictionary<string, string> Strings(YamlNode? node, string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Get(node, path) is YamlMappingNode mapping)
        {
            foreach (var (key, value) in mapping.Children)
            {
                if (key is YamlScalarNode { Value: { } name } && value is YamlScalarNode { Value: { } text })
                {
                    result[name] = text;
                }
            }
        }

        return result;
    }

    /// <summary>Removes the entry at <paramref name="path"/> (a mapping key or a sequence item); false when there is none.</summary>
    public static bool Remove(YamlNode root, string path)
    {
        var (parentPath, last) = Split(path);
        var parent = parentPath.Length == 0 ? root : Get(root, parentPath);
        var (key, index) = Steps(last).Single();
        if (parent is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var child))
        {
            return false;
        }

        if (index is { } i)
        {
            return child is YamlSequenceNode sequence && i < sequence.Children.Count && sequence.Children.Remove(sequence.Children[i]);
        }

        return mapping.Children.Remove(new YamlScalarNode(key));
    }

    /// <summary>Sets the value at <paramref name="path"/> (its parent must exist).</summary>
    public static void Set(YamlNode root, string path, YamlNode value)
    {
        var (parentPath, last) = Split(path);
        var parent = parentPath.Length == 0 ? root : Get(root, parentPath);
        var (key, index) = Steps(last).Single();
        var mapping = parent as YamlMappingNode ?? throw new InvalidOperationException($"{parentPath} is not a mapping");
        if (index is { } i)
        {
            ((YamlSequenceNode)mapping.Children[new YamlScalarNode(key)]).Children[i] = value;
        }
        else
        {
            mapping.Children[new YamlScalarNode(key)] = value;
        }
    }

    /// <summary>Parses a YAML fragment (a value for <see cref="Set"/>).</summary>
    public static YamlNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents[0].RootNode;
    }

    private static (string Parent, string Last) Split(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot < 0 ? ("", path) : (path[..dot], path[(dot + 1)..]);
    }

    private static IEnumerable<(string Key, int? Index)> Steps(string path)
    {
        foreach (var step in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var bracket = step.IndexOf('[');
            yield return bracket < 0
                ? (step, null)
                : (step[..bracket], int.Parse(step[(bracket + 1)..^1], CultureInfo.InvariantCulture));
        }
    }
}

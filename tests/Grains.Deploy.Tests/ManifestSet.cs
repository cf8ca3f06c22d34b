using YamlDotNet.RepresentationModel;

namespace Grains.Deploy.Tests;

/// <summary>Every YAML file under a directory (recursively), each parsed into its documents.</summary>
public sealed class ManifestSet
{
    private ManifestSet(List<string> files, List<ManifestDocument> documents)
    {
        Files = files;
        Documents = documents;
    }

    /// <summary>Relative paths ('/' separators) of every YAML file.</summary>
    public List<string> Files { get; }

    /// <summary>Every non-empty document, in file order.</summary>
    public List<ManifestDocument> Documents { get; }

    public static ManifestSet Load(string root) =>
        Parse(Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllText(f))));

    public static ManifestSet Parse(IEnumerable<(string Path, string Text)> files)
    {
        var paths = new List<string>();
        var documents = new List<ManifestDocument>();
        foreach (var (path, text) in files)
        {
            paths.Add(path);
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            foreach (var document in stream.Documents)
            {
                if (document.RootNode is YamlScalarNode { Value: null or "" })
                {
                    continue; // an empty document ("---" at the end): kubectl skips it too
                }

                documents.Add(new ManifestDocument(path, document.RootNode));
            }
        }

        return new ManifestSet(paths, documents);
    }

    public IEnumerable<ManifestDocument> OfKind(string kind) => Documents.Where(d => d.Kind == kind);

    public ManifestDocument Single(string kind) => OfKind(kind).Single();
}

using YamlDotNet.RepresentationModel;

namespace Grains.Deploy.Tests;

/// <summary>One document of a manifest file.</summary>
/// <param name="File">The file's path relative to the manifest root, with '/' separators.</param>
/// <param name="Root">The document's root node.</param>
public sealed record ManifestDocument(string File, YamlNode Root)
{
    public string? ApiVersion => Yaml.Scalar(Root, "apiVersion");

    public string? Kind => Yaml.Scalar(Root, "kind");

    public string? Name => Yaml.Scalar(Root, "metadata.name");

    public override string ToString() => $"{File}: {Kind ?? "(no kind)"} {Name ?? "(no name)"}";
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Grains.Monitoring.Projects.Options;

/// <summary>An option with a typed value: reading falls back to <see cref="Default"/> when unset or unreadable.</summary>
public abstract class ProjectOption<T> : IProjectOption
{
    public abstract string Key { get; }

    public virtual bool InProjectDetails => false;

    /// <summary>The value when the project does not set it.</summary>
    public abstract T Default { get; }

    public abstract ProjectOptionParse Parse(JsonElement input);

    /// <summary>The project's value.</summary>
    public T Read(ProjectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Raw(Key) is not { } json)
        {
            return Default;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return TryDecode(document.RootElement, out var value) ? value : Default;
        }
        catch (JsonException)
        {
            // Values are validated before they are stored; a damaged row must not stop ingestion.
            return Default;
        }
    }

    public JsonNode? ToApi(ProjectOptions options) => Format(Read(options));

    /// <summary>The stored JSON as a value; false when it has an unexpected shape.</summary>
    protected abstract bool TryDecode(JsonElement stored, out T value);

    /// <summary>The value as the API shows it.</summary>
    protected abstract JsonNode? Format(T value);
}

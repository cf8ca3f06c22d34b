namespace Grains.Monitoring.Projects.Options;

/// <summary>The outcome of validating an option value: the JSON to store (null resets to the default), or an error.</summary>
public readonly record struct ProjectOptionParse(string? ValueJson, string? Error)
{
    public bool IsValid => Error is null;

    public static ProjectOptionParse Value(string? valueJson) => new(valueJson, null);

    public static ProjectOptionParse Invalid(string error) => new(null, error);
}

namespace Grains.Server.Api.Infrastructure;

/// <summary>Validation of display names in request bodies.</summary>
internal static class Names
{
    public const int MaxLength = 64;

    /// <summary>A required, non-blank name of at most <see cref="MaxLength"/> characters.</summary>
    public static string Required(string? name, string field) =>
        Optional(name, field) ?? throw ApiException.BadRequest($"'{field}' is required.");

    /// <summary>Null, or a non-blank trimmed name of at most <see cref="MaxLength"/> characters.</summary>
    public static string? Optional(string? name, string field)
    {
        if (name is null)
        {
            return null;
        }

        var trimmed = name.Trim();
        if (trimmed.Length == 0)
        {
            throw ApiException.BadRequest($"'{field}' must not be blank.");
        }

        return trimmed.Length <= MaxLength ? trimmed : throw ApiException.BadRequest($"'{field}' must be at most {MaxLength} characters.");
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Grains.Server.Api.RateLimits;

namespace Grains.Server.Dashboard.Settings;

/// <summary>
/// Reads a DSN key's rate limit as typed in the keys page (count and window as text) with the API's
/// validator (<see cref="RateLimitField"/>), so the page says what <c>PUT …/keys/{id}/</c> would say.
/// </summary>
internal static class RateLimitForm
{
    /// <summary>The page's own rule: one field without the other would silently clear the limit (the API's semantics).</summary>
    public const string BothOrNeither = "Set both the count and the window, or leave both empty for no limit.";

    /// <summary>
    /// Parses the two inputs; both empty clears the limit. False with a message per field (<c>count</c>,
    /// <c>window</c>) when invalid.
    /// </summary>
    public static bool TryParse(string? count, string? window, out RateLimitInput input, out IReadOnlyDictionary<string, string> errors)
    {
        var body = new JsonObject
        {
            ["rateLimit"] = new JsonObject { ["count"] = Field(count), ["window"] = Field(window) },
        };
        using var document = JsonDocument.Parse(body.ToJsonString());
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        errors = found;
        if (!RateLimitField.TryRead(document.RootElement, "rateLimit", out input, out var apiErrors))
        {
            foreach (var (field, messages) in apiErrors!["rateLimit"]!.AsObject())
            {
                found[field] = messages!.AsArray()[0]!.GetValue<string>();
            }

            return false;
        }

        if (input.Count is null != input.Window is null)
        {
            found[input.Count is null ? "count" : "window"] = BothOrNeither;
            input = RateLimitInput.Absent;
            return false;
        }

        return true;
    }

    // Sent as the API would receive a form's text: blank is null, anything else the string typed.
    private static JsonNode? Field(string? text) => string.IsNullOrWhiteSpace(text) ? null : JsonValue.Create(text.Trim());
}

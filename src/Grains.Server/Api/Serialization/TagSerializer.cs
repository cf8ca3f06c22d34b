using Grains.Monitoring.Storage;
using Grains.Server.Api.Infrastructure;
using Grains.Server.Api.Models;

namespace Grains.Server.Api.Serialization;

/// <summary>Tag keys and values with Sentry's labels (<c>tagstore.get_tag_key_label</c> / <c>get_tag_value_label</c>).</summary>
internal static class TagSerializer
{
    private static readonly Dictionary<string, string> KeyLabels = new(StringComparer.Ordinal)
    {
        ["exc_type"] = "Exception Type",
        ["user"] = "User",
        ["release"] = "Release",
        ["dist"] = "Distribution",
        ["os"] = "OS",
        ["url"] = "URL",
        ["server_name"] = "Server",
    };

    /// <summary>
    /// Sentry stores some tags under <c>sentry:</c> names and accepts both spellings in the API;
    /// Grains stores the plain names.
    /// </summary>
    public static string CanonicalKey(string key) => key switch
    {
        "sentry:user" => "user",
        "sentry:release" => "release",
        "sentry:dist" => "dist",
        _ => key,
    };

    public static TagKeyDto Key(IssueTagKey key) =>
        new(key.Key, KeyLabel(key.Key), key.TotalValues, key.UniqueValues, [.. key.TopValues.Select(Value)]);

    public static TagValueDto Value(IssueTagValue value) =>
        new(value.Key, ValueLabel(value.Key, value.Value), value.Value, value.Count, ApiTime.Format(value.FirstSeen), ApiTime.Format(value.LastSeen));

    public static string KeyLabel(string key)
    {
        if (KeyLabels.TryGetValue(key, out var label))
        {
            return label;
        }

        // Python's str.title() after replacing underscores: "browser.name" → "Browser.Name".
        var chars = key.Replace('_', ' ').ToCharArray();
        var startOfWord = true;
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = startOfWord ? char.ToUpperInvariant(chars[i]) : char.ToLowerInvariant(chars[i]);
            startOfWord = !char.IsLetter(chars[i]);
        }

        return new string(chars);
    }

    /// <summary>The user tag shows the identifier without its kind prefix (<c>id:42</c> → <c>42</c>).</summary>
    public static string ValueLabel(string key, string value)
    {
        if (key == "user")
        {
            foreach (var prefix in (ReadOnlySpan<string>)["id:", "username:", "email:", "ip:"])
            {
                if (value.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return value[prefix.Length..];
                }
            }
        }

        return value;
    }
}

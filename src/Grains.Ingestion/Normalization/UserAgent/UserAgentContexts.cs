using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Grains.Ingestion.Normalization.UserAgent;

/// <summary>
/// Fills the <c>browser</c>, <c>device</c> and OS contexts of an event from its
/// <c>request.headers</c>, as Relay's <c>normalize_user_agent</c> does: the User-Agent client hints
/// (<c>Sec-CH-UA</c>, <c>Sec-CH-UA-Platform</c>, <c>Sec-CH-UA-Platform-Version</c>,
/// <c>Sec-CH-UA-Model</c>) when they name something, else the <c>User-Agent</c> parsed with uap-core's
/// rules. A context the SDK sent is never replaced.
/// </summary>
/// <remarks>
/// The OS goes to <c>contexts.os</c> only for <c>platform: javascript</c>; for other platforms it goes
/// to <c>contexts.client_os</c>, because there <c>os</c> describes the server the SDK runs on and the
/// User-Agent describes the client that called it. Windows 10+ and macOS 10.15.7+ freeze those
/// versions in the User-Agent, so Relay writes them as <c>&gt;=10</c> and <c>&gt;=10.15.7</c>.
/// </remarks>
public static partial class UserAgentContexts
{
    /// <summary>
    /// Adds the contexts derived from the request headers of the normalized event
    /// <paramref name="ev"/> (headers as <c>[name, value]</c> pairs) that it does not already have.
    /// </summary>
    public static void Apply(JsonObject ev, UserAgentParser? parser = null)
    {
        ArgumentNullException.ThrowIfNull(ev);
        if (ev["request"] is not JsonObject request || request["headers"] is not JsonArray headers)
        {
            return;
        }

        string? userAgent = null, hintBrands = null, hintPlatform = null, hintPlatformVersion = null, hintModel = null;
        foreach (var pair in headers)
        {
            if (pair is not JsonArray { Count: 2 } kv || Str(kv[0]) is not { } name || Str(kv[1]) is not { } value)
            {
                continue;
            }

            // Relay matches header names case-insensitively and the last one of a name wins.
            switch (name.ToLowerInvariant())
            {
                case "user-agent": userAgent = value; break;
                case "sec-ch-ua": hintBrands = value; break;
                case "sec-ch-ua-platform": hintPlatform = value; break;
                case "sec-ch-ua-platform-version": hintPlatformVersion = value; break;
                case "sec-ch-ua-model": hintModel = value; break;
            }
        }

        if (userAgent is null && hintBrands is null && hintPlatform is null && hintModel is null)
        {
            return;
        }

        var contexts = ev["contexts"] as JsonObject;
        var osKey = Str(ev["platform"]) == "javascript" ? "os" : "client_os";
        var needBrowser = contexts?["browser"] is null;
        var needDevice = contexts?["device"] is null;
        var needOs = contexts?[osKey] is null;
        if (!needBrowser && !needDevice && !needOs)
        {
            return;
        }

        // The User-Agent is parsed only when a hint does not answer, and at most once.
        ParsedUserAgent? parsed = null;
        ParsedUserAgent Parsed() => parsed ??= (parser ?? UserAgentParser.Default).Parse(userAgent);

        if (needBrowser && (BrowserFromHints(hintBrands) ?? BrowserFromUserAgent(userAgent is null ? null : Parsed())) is { } browser)
        {
            Add(ev, ref contexts, "browser", browser);
        }

        if (needDevice && (DeviceFromHints(hintModel) ?? DeviceFromUserAgent(userAgent is null ? null : Parsed())) is { } device)
        {
            Add(ev, ref contexts, "device", device);
        }

        if (needOs && (OsFromHints(hintPlatform, hintPlatformVersion) ?? OsFromUserAgent(userAgent is null ? null : Parsed())) is { } os)
        {
            Add(ev, ref contexts, osKey, os);
        }
    }

    /// <summary>
    /// The browser in <c>Sec-CH-UA</c> (e.g. <c>"Not_A Brand";v="8", "Chromium";v="120", "Google Chrome";v="120"</c>):
    /// the first entry that is not a GREASE brand or an engine, if it parses; else none (the User-Agent decides).
    /// </summary>
    internal static JsonObject? BrowserFromHints(string? brands)
    {
        if (brands is null)
        {
            return null;
        }

        foreach (var item in brands.Split(','))
        {
            if (item.Contains("Brand", StringComparison.Ordinal) || item.Contains("Chromium", StringComparison.Ordinal)
                || item.Contains("Gecko", StringComparison.Ordinal) || item.Contains("WebKit", StringComparison.Ordinal))
            {
                continue;
            }

            var match = BrandVersion().Match(item);
            if (!match.Success || string.IsNullOrWhiteSpace(match.Groups[1].Value) || string.IsNullOrWhiteSpace(match.Groups[2].Value))
            {
                return null;
            }

            return Context("browser", ("name", match.Groups[1].Value), ("version", match.Groups[2].Value));
        }

        return null;
    }

    private static JsonObject? BrowserFromUserAgent(ParsedUserAgent? parsed) =>
        parsed?.Browser is { } browser ? Context("browser", ("name", browser.Family), ("version", browser.Version)) : null;

    private static JsonObject? DeviceFromHints(string? model)
    {
        var cleaned = model?.Trim().Replace("\"", "", StringComparison.Ordinal);
        return string.IsNullOrEmpty(cleaned) ? null : Context("device", ("model", cleaned));
    }

    private static JsonObject? DeviceFromUserAgent(ParsedUserAgent? parsed) =>
        parsed?.Device is { } device ? Context("device", ("family", device.Family), ("model", device.Model), ("brand", device.Brand)) : null;

    private static JsonObject? OsFromHints(string? platform, string? version)
    {
        var name = platform?.Trim().Replace("\"", "", StringComparison.Ordinal);

        // An empty version is kept: it means the page did not ask for the high-entropy hint.
        return string.IsNullOrEmpty(name) ? null : Context("os", ("name", name), ("version", version?.Trim().Replace("\"", "", StringComparison.Ordinal)));
    }

    private static JsonObject? OsFromUserAgent(ParsedUserAgent? parsed)
    {
        if (parsed?.Os is not { } os)
        {
            return null;
        }

        var version = os.Version;
        if ((os.Family == "Windows" && version == "10") || (os.Family == "Mac OS X" && version == "10.15.7"))
        {
            version = ">=" + version;
        }

        return Context("os", ("name", os.Family), ("version", version));
    }

    private static JsonObject Context(string type, params (string Key, string? Value)[] fields)
    {
        var context = new JsonObject();
        foreach (var (key, value) in fields)
        {
            if (value is not null)
            {
                context[key] = value;
            }
        }

        context["type"] = type;
        return context;
    }

    private static void Add(JsonObject ev, ref JsonObject? contexts, string key, JsonObject context)
    {
        if (contexts is null)
        {
            contexts = new JsonObject();
            ev["contexts"] = contexts;
        }

        contexts[key] = context;
    }

    private static string? Str(JsonNode? node) =>
        node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    [GeneratedRegex("\"([^\"]*)\";v=\"([^\"]*)\"", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 50)]
    private static partial Regex BrandVersion();
}

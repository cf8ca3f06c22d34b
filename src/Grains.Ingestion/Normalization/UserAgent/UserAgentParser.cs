using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Grains.Ingestion.Normalization.UserAgent;

/// <summary>
/// Parses User-Agent strings with uap-core's rules, as Relay does (its <c>relay-ua</c> crate): per
/// section, the first rule whose regex matches anywhere in the string wins; no match is <c>Other</c>.
/// </summary>
/// <remarks>
/// The rules (about 1,200 regexes) are read from the embedded <c>regexes.yaml</c> at first use and
/// run by .NET's backtracking interpreter with a per-match timeout (a rule that times out counts as
/// not matching). A miss runs up to every rule, so results are cached per string, boundedly: the
/// same few User-Agents account for most events. Strings are cut to <see cref="MaxLength"/> first,
/// which bounds the cost of one miss (every uap-core rule matches within the first few hundred characters
/// of a real User-Agent).
/// </remarks>
public sealed class UserAgentParser
{
    /// <summary>The uap-core version of the embedded rules.</summary>
    public const string RulesVersion = "0.18.0";

    /// <summary>Characters of a User-Agent that are parsed (and keyed in the cache); the rest is ignored.</summary>
    public const int MaxLength = 1024;

    /// <summary>Default bound of the result cache; when full it is emptied and refills with what is current.</summary>
    public const int DefaultCacheSize = 4096;

    /// <summary>Default time one rule may take on one string.</summary>
    public static readonly TimeSpan DefaultMatchTimeout = TimeSpan.FromMilliseconds(50);

    private const string ResourceName = "Grains.Ingestion.Normalization.UserAgent.regexes.yaml";

    private static readonly Lazy<UserAgentParser> Embedded = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly IReadOnlyList<UapRule> _browsers;
    private readonly IReadOnlyList<UapRule> _systems;
    private readonly IReadOnlyList<UapRule> _devices;
    private readonly ConcurrentDictionary<string, ParsedUserAgent> _cache = new(StringComparer.Ordinal);
    private readonly int _cacheSize;

    private UserAgentParser(IReadOnlyList<UapRule> browsers, IReadOnlyList<UapRule> systems, IReadOnlyList<UapRule> devices, int cacheSize)
    {
        _browsers = browsers;
        _systems = systems;
        _devices = devices;
        _cacheSize = cacheSize;
    }

    /// <summary>The parser over the embedded uap-core rules, loaded at first use.</summary>
    public static UserAgentParser Default => Embedded.Value;

    /// <summary>Number of rules per section (browser, OS, device).</summary>
    public (int Browsers, int Systems, int Devices) RuleCounts => (_browsers.Count, _systems.Count, _devices.Count);

    /// <summary>Reads and compiles a uap-core rule file.</summary>
    /// <exception cref="FormatException">The file is not the expected structure, or a regex does not compile.</exception>
    public static UserAgentParser Load(TextReader reader, TimeSpan? matchTimeout = null, int cacheSize = DefaultCacheSize)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cacheSize);
        var timeout = matchTimeout ?? DefaultMatchTimeout;
        var sections = UapRegexFile.Parse(reader);
        IReadOnlyList<UapRule> Section(string name) => sections.TryGetValue(name, out var rules)
            ? rules.Select(rule => UapRule.Create(rule, timeout)).ToArray()
            : throw new FormatException($"The uap-core rules have no '{name}' section.");

        return new UserAgentParser(Section("user_agent_parsers"), Section("os_parsers"), Section("device_parsers"), cacheSize);
    }

    /// <summary>What the rules recognize in <paramref name="userAgent"/>; <see cref="ParsedUserAgent.Unknown"/> for an empty one.</summary>
    public ParsedUserAgent Parse(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return ParsedUserAgent.Unknown;
        }

        var key = userAgent.Length > MaxLength ? userAgent[..MaxLength] : userAgent;
        if (_cache.TryGetValue(key, out var cached))
        {
            UserAgentDiagnostics.Lookups.Add(1, new KeyValuePair<string, object?>("cache", "hit"));
            return cached;
        }

        UserAgentDiagnostics.Lookups.Add(1, new KeyValuePair<string, object?>("cache", "miss"));
        var parsed = new ParsedUserAgent(Browser(key), Os(key), Device(key));
        if (_cache.Count >= _cacheSize)
        {
            _cache.Clear();
        }

        _cache[key] = parsed;
        return parsed;
    }

    private UserAgentVersion? Browser(string userAgent)
    {
        if (First(_browsers, userAgent) is not var (rule, match))
        {
            return null;
        }

        var family = rule.Value(match, "family_replacement", 1);
        return family is null or "Other"
            ? null
            : new UserAgentVersion(family, rule.Value(match, "v1_replacement", 2), rule.Value(match, "v2_replacement", 3), rule.Value(match, "v3_replacement", 4));
    }

    private UserAgentVersion? Os(string userAgent)
    {
        if (First(_systems, userAgent) is not var (rule, match))
        {
            return null;
        }

        var family = rule.Value(match, "os_replacement", 1);
        return family is null or "Other"
            ? null
            : new UserAgentVersion(family, rule.Value(match, "os_v1_replacement", 2), rule.Value(match, "os_v2_replacement", 3), rule.Value(match, "os_v3_replacement", 4));
    }

    private UserAgentDevice? Device(string userAgent)
    {
        if (First(_devices, userAgent) is not var (rule, match))
        {
            return null;
        }

        var family = rule.Value(match, "device_replacement", 1);
        return family is null or "Other"
            ? null
            : new UserAgentDevice(family, rule.Value(match, "brand_replacement", 0), rule.Value(match, "model_replacement", 1));
    }

    private static (UapRule Rule, Match Match)? First(IReadOnlyList<UapRule> rules, string userAgent)
    {
        foreach (var rule in rules)
        {
            try
            {
                var match = rule.Regex.Match(userAgent);
                if (match.Success)
                {
                    return (rule, match);
                }
            }
            catch (RegexMatchTimeoutException)
            {
                UserAgentDiagnostics.Timeouts.Add(1);
            }
        }

        return null;
    }

    private static UserAgentParser LoadEmbedded()
    {
        var started = Stopwatch.GetTimestamp();
        using var stream = typeof(UserAgentParser).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var reader = new StreamReader(stream);
        var parser = Load(reader);
        UserAgentDiagnostics.LoadDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return parser;
    }
}

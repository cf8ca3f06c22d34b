using Grains.Monitoring.Grouping.Model;

namespace Grains.Monitoring.Grouping.Fingerprinting;

/// <summary>Lazily extracted event values that fingerprint matchers test, one dictionary per entry.</summary>
internal sealed class FingerprintEventValues
{
    private static readonly IReadOnlyList<IReadOnlyDictionary<string, string?>> None = Array.Empty<IReadOnlyDictionary<string, string?>>();

    private readonly GroupingEvent _event;
    private readonly Dictionary<FingerprintMatchType, IReadOnlyList<IReadOnlyDictionary<string, string?>>> _cache = new();

    public FingerprintEventValues(GroupingEvent grouping)
    {
        _event = grouping;
    }

    public IReadOnlyList<IReadOnlyDictionary<string, string?>> Get(FingerprintMatchType type)
    {
        if (!_cache.TryGetValue(type, out var values))
        {
            values = Extract(type);
            _cache[type] = values;
        }

        return values;
    }

    private IReadOnlyList<IReadOnlyDictionary<string, string?>> Extract(FingerprintMatchType type)
    {
        switch (type)
        {
            case FingerprintMatchType.TopLevel:
                return Messages().Concat(Exceptions()).ToList();
            case FingerprintMatchType.Exceptions:
                return Exceptions();
            case FingerprintMatchType.LogInfo:
                if (_event.Logger is null && _event.Level is null)
                {
                    return None;
                }

                return new[] { Entry(("logger", _event.Logger), ("level", _event.Level)) };
            case FingerprintMatchType.Frames:
                var frames = new List<IReadOnlyDictionary<string, string?>>();
                foreach (var (stacktrace, _) in _event.AllStacktraces())
                {
                    foreach (var frame in stacktrace.Frames)
                    {
                        frames.Add(Entry(
                            ("function", frame.Function ?? frame.RawFunction ?? "<unknown>"),
                            ("abs_path", frame.AbsPath ?? frame.Filename),
                            ("filename", frame.Filename),
                            ("module", frame.Module),
                            ("package", frame.Package),
                            ("app", frame.InApp is bool inApp ? (inApp ? "True" : "False") : null)));
                    }
                }

                return frames;
            case FingerprintMatchType.Tags:
                var tags = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var (key, value) in _event.Tags)
                {
                    tags["tags." + key] = value?.Trim();
                }

                return new[] { tags };
            case FingerprintMatchType.Sdk:
                return new[] { Entry(("sdk", _event.SdkName ?? "other")) };
            case FingerprintMatchType.Family:
                return new[] { Entry(("family", PlatformFamily.Of(_event.Platform))) };
            case FingerprintMatchType.Release:
                return new[] { Entry(("release", _event.Release?.Trim())) };
            default:
                return None;
        }
    }

    private IReadOnlyList<IReadOnlyDictionary<string, string?>> Messages()
    {
        var message = _event.LogFormatted ?? _event.LogMessage;
        return string.IsNullOrEmpty(message) ? None : new[] { Entry(("message", message.Trim())) };
    }

    private IReadOnlyList<IReadOnlyDictionary<string, string?>> Exceptions()
    {
        if (_event.Exceptions is null)
        {
            return None;
        }

        return _event.Exceptions
            .Select(e => Entry(("type", e.Type), ("value", string.IsNullOrEmpty(e.Value) ? null : e.Value.Trim())))
            .ToList();
    }

    private static IReadOnlyDictionary<string, string?> Entry(params (string Key, string? Value)[] pairs)
    {
        var entry = new Dictionary<string, string?>(pairs.Length, StringComparer.Ordinal);
        foreach (var (key, value) in pairs)
        {
            entry[key] = value;
        }

        return entry;
    }
}

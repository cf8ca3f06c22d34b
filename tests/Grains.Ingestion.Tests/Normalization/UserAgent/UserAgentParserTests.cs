using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Grains.Ingestion.Normalization.UserAgent;

namespace Grains.Ingestion.Tests.Normalization.UserAgent;

/// <summary>
/// uap-core's rules run by .NET's regex engine give what Relay's parser gives for real User-Agents.
/// The Galaxy Nexus, Windows NT 6.1, iPhone OS 12_1 and Mac OS X 10_13_4 rows are Relay's own
/// <c>user_agent.rs</c> test cases.
/// </summary>
public sealed class UserAgentParserTests
{
    public static TheoryData<string, string?, string?, string?, string?, string?, string?, string?> RealUserAgents() => new()
    {
        // user agent, browser, browser version, os, os version, device family, brand, model (null = not recognized)
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome", "120.0.0", "Windows", "10", null, null, null },
        { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome", "120.0.0", "Mac OS X", "10.15.7", "Mac", "Apple", "Mac" },
        { "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36", "Chrome", "120.0.0", "Linux", null, null, null, null },
        { "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.6778.33 Safari/537.36", "HeadlessChrome", "131.0.6778", "Linux", null, null, null, null },
        { "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36", "Chrome Mobile", "120.0.0", "Android", "10", "K", "Generic_Android", "K" },
        { "Mozilla/5.0 (Linux; Android 13; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/112.0.0.0 Mobile Safari/537.36", "Chrome Mobile", "112.0.0", "Android", "13", "Samsung SM-S918B", "Samsung", "SM-S918B" },
        { "Mozilla/5.0 (Linux; Android 4.0.4; Galaxy Nexus Build/IMM76B) AppleWebKit/535.19 (KHTML, like Gecko) Chrome/18.0.1025.133 Mobile Safari/535.19", "Chrome Mobile", "18.0.1025", "Android", "4.0.4", "Samsung Galaxy Nexus", "Samsung", "Galaxy Nexus" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox", "121.0", "Windows", "10", null, null, null },
        { "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0", "Firefox", "121.0", "Ubuntu", null, null, null, null },
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1", "Mobile Safari", "17.1.2", "iOS", "17.1.2", "iPhone", "Apple", "iPhone" },
        { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15", "Safari", "17.1", "Mac OS X", "10.15.7", "Mac", "Apple", "Mac" },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91", "Edge", "120.0.2210", "Windows", "10", null, null, null },
        { "Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) - -", null, null, "Windows", "7", null, null, null },
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 12_1 like Mac OS X) - (-)", "Mobile Safari UI/WKWebView", null, "iOS", "12.1", "iPhone", "Apple", "iPhone" },
        { "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_4) - (-)", null, null, "Mac OS X", "10.13.4", "Mac", "Apple", "Mac" },
        { "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot", "2.1", null, null, "Spider", "Spider", "Desktop" },
        { "curl/8.5.0", "curl", "8.5.0", null, null, null, null, null },
        { "node", null, null, null, null, null, null, null },
        { "sentry.javascript.node/11.12.0", null, null, null, null, null, null, null },
        { "a dont no", null, null, null, null, null, null, null },
        { "))((**??\\\\//$$ [[{{", null, null, null, null, null, null, null },
        { "\u00e9\u00e8\U0001F600 Chrome/\u0661\u0662\u0663", null, null, null, null, null, null, null },
    };

    [Theory]
    [MemberData(nameof(RealUserAgents))]
    public void Real_user_agents_parse_as_relay_parses_them(string userAgent, string? browser, string? browserVersion, string? os, string? osVersion, string? device, string? brand, string? model)
    {
        var parsed = UserAgentParser.Default.Parse(userAgent);

        Assert.Equal(browser, parsed.Browser?.Family);
        Assert.Equal(browserVersion, parsed.Browser?.Version);
        Assert.Equal(os, parsed.Os?.Family);
        Assert.Equal(osVersion, parsed.Os?.Version);
        Assert.Equal(device, parsed.Device?.Family);
        Assert.Equal(brand, parsed.Device?.Brand);
        Assert.Equal(model, parsed.Device?.Model);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Empty_user_agent_is_unknown(string? userAgent)
    {
        Assert.Same(ParsedUserAgent.Unknown, UserAgentParser.Default.Parse(userAgent));
    }

    [Fact]
    public void Every_rule_of_the_embedded_file_compiles_with_dotnet_regex()
    {
        using var stream = typeof(UserAgentParser).Assembly.GetManifestResourceStream("Grains.Ingestion.Normalization.UserAgent.regexes.yaml")!;
        var text = new StreamReader(stream).ReadToEnd();
        var regexLines = Regex.Count(text, @"^\s*-\s*regex:", RegexOptions.Multiline);

        var (browsers, systems, devices) = UserAgentParser.Default.RuleCounts;

        Assert.True(browsers > 300 && systems > 150 && devices > 500, $"{browsers}/{systems}/{devices}");
        Assert.Equal(regexLines, browsers + systems + devices);
    }

    [Fact]
    public void A_very_long_user_agent_is_parsed_from_its_first_kilobyte()
    {
        var real = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36";
        var padded = real + " " + new string('x', 200_000);
        var unknownAfterTheCut = new string('(', UserAgentParser.MaxLength) + " " + real;

        Assert.Equal("Chrome", UserAgentParser.Default.Parse(padded).Browser?.Family);
        Assert.Equal(ParsedUserAgent.Unknown, UserAgentParser.Default.Parse(unknownAfterTheCut));
    }

    [Fact]
    public void The_cache_stays_bounded_and_answers_stay_right_past_it()
    {
        var parser = Load("user_agent_parsers:\n  - regex: '(Tool)/(\\d+)'\nos_parsers:\n  - regex: '(Plan9)'\ndevice_parsers:\n  - regex: '(Box)'\n", cacheSize: 4);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(i.ToString(System.Globalization.CultureInfo.InvariantCulture), parser.Parse($"Tool/{i} Box").Browser?.Major);
        }

        Assert.Equal("Box", parser.Parse("Tool/1 Box").Device?.Family);
    }

    [Fact]
    public void A_rule_that_times_out_counts_as_not_matching_and_the_next_rule_decides()
    {
        // Catastrophic backtracking: nested quantifiers over a run of x's that is never followed by y.
        var parser = Load("user_agent_parsers:\n  - regex: '(x+x+)+y'\n  - regex: '(Fallback)'\nos_parsers:\n  - regex: '(z)'\ndevice_parsers:\n  - regex: '(w)'\n", matchTimeout: TimeSpan.FromMilliseconds(20));
        long timeouts = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Grains.Ingestion.UserAgent" && instrument.Name == "grains.ingest.user_agent.timeouts")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref timeouts, value));
        listener.Start();

        var parsed = parser.Parse("y " + new string('x', 40) + " Fallback");

        Assert.Equal("Fallback", parsed.Browser?.Family);
        Assert.True(Interlocked.Read(ref timeouts) >= 1);
    }

    [Theory]
    [InlineData("user_agent_parsers:\n  - regex: '(Foo)/(\\d+)'\n    family_replacement: 'Bar $1'\n    v1_replacement: '9'\n", "Foo/3", "Bar Foo", "9")]
    [InlineData("user_agent_parsers:\n  - regex: 'Foo/(\\d+)'\n    family_replacement: 'Foo'\n    v1_replacement: '$1'\n", "Foo/3", "Foo", "3")]
    [InlineData("user_agent_parsers:\n  - regex: '(Other)/(\\d+)'\n", "Other/3", null, null)]
    [InlineData("user_agent_parsers:\n  - regex: '(Foo)(?:/(\\d+)|)'\n", "Foo", "Foo", null)]
    public void Replacements_fill_groups_and_other_means_unknown(string rules, string userAgent, string? family, string? major)
    {
        var parser = Load(rules + "os_parsers:\n  - regex: '(x)'\ndevice_parsers:\n  - regex: '(y)'\n");

        var browser = parser.Parse(userAgent).Browser;

        Assert.Equal(family, browser?.Family);
        Assert.Equal(major, browser?.Major);
    }

    [Fact]
    public void Device_brand_and_model_use_their_own_replacements_case_insensitively_when_flagged()
    {
        var parser = Load("user_agent_parsers:\n  - regex: '(x)'\nos_parsers:\n  - regex: '(x)'\ndevice_parsers:\n  - regex: '; *(pedi)_(plus) Build'\n    regex_flag: 'i'\n    device_replacement: 'Odys $1 $2'\n    brand_replacement: 'Odys'\n    model_replacement: '$1 $2 $3'\n");

        var device = parser.Parse("Mozilla/5.0 (Linux; U; Android 4.2.2; PEDI_PLUS Build/JDQ39)").Device;

        Assert.Equal(new UserAgentDevice("Odys PEDI PLUS", "Odys", "PEDI PLUS"), device);
    }

    [Fact]
    public void A_regex_dotnet_cannot_compile_fails_the_load_with_the_pattern()
    {
        var error = Assert.Throws<FormatException>(() => Load("user_agent_parsers:\n  - regex: '(unclosed'\nos_parsers:\n  - regex: '(x)'\ndevice_parsers:\n  - regex: '(y)'\n"));

        Assert.Contains("(unclosed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_section_or_flag_fails_the_load()
    {
        Assert.Throws<FormatException>(() => Load("user_agent_parsers:\n  - regex: '(x)'\nos_parsers:\n  - regex: '(x)'\n"));
        Assert.Throws<FormatException>(() => Load("user_agent_parsers:\n  - regex: '(x)'\n    regex_flag: 'g'\nos_parsers:\n  - regex: '(x)'\ndevice_parsers:\n  - regex: '(y)'\n"));
        Assert.Throws<FormatException>(() => Load("user_agent_parsers:\n  - family_replacement: 'x'\nos_parsers:\n  - regex: '(x)'\ndevice_parsers:\n  - regex: '(y)'\n"));
    }

    private static UserAgentParser Load(string yaml, TimeSpan? matchTimeout = null, int cacheSize = UserAgentParser.DefaultCacheSize) =>
        UserAgentParser.Load(new StringReader(yaml), matchTimeout, cacheSize);
}

namespace Grains.Monitoring.Grouping.Parameterization;

/// <summary>
/// The default pattern table (reference §1.6, newest upstream order). At each position of the input
/// the first alternative in this order that matches wins, so the order is part of the behaviour:
/// e.g. <c>uuid</c> must precede <c>hex</c>, and <c>float</c> must precede <c>int</c>.
/// </summary>
public static class ParameterizationPatterns
{
    /// <summary>Months and weekdays shared by several date alternatives.</summary>
    private const string Months = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
    private const string Days = "(?:Sun|Mon|Tue|Wed|Thu|Fri|Sat)";
    private const string Zone = "(?:UT|GMT|(?:E|C|M|P)(?:ST|DT)|[A-IK-Z])";
    private const string Octet = "(25[0-5]|(2[0-4]|1{0,1}[0-9]){0,1}[0-9])";

    /// <summary>All patterns, in matching priority order.</summary>
    public static IReadOnlyList<ParameterizationPattern> Default { get; } = new ParameterizationPattern[]
    {
        new("email", """[a-zA-Z0-9.!\#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*"""),
        new("url", """\b(wss?|https?|ftp)://[^\s/$.?\#].[^\s]*"""),
        new("hostname", """
            # Top ~100 TLDs, in both cases; the full list is thousands long.
            \b
            ([a-zA-Z0-9\-]{1,63}\.)+?
            (
                (COM|NET|ORG|JP|DE|UK|FR|BR|IT|RU|ES|ME|GOV|PL|CA|AU|CN|CO|IN|NL|EDU|INFO|EU|CH|ID|AT|KR|CZ|MX|BE|TV|SE|TR|TW|AL|UA|IR|VN|CL|SK|LY|CC|TO|NO|FI|US|PT|DK|AR|HU|TK|GR|IL|NEWS|RO|MY|BIZ|IE|ZA|NZ|SG|EE|TH|IO|XYZ|PE|BG|HK|RS|LT|LINK|PH|CLUB|SI|SITE|MOBI|BY|CAT|WIKI|LA|GA|XXX|CF|HR|NG|JOBS|ONLINE|KZ|UG|GQ|AE|IS|LV|PRO|FM|TIPS|MS|SA|APP)|
                (com|net|org|jp|de|uk|fr|br|it|ru|es|me|gov|pl|ca|au|cn|co|in|nl|edu|info|eu|ch|id|at|kr|cz|mx|be|tv|se|tr|tw|al|ua|ir|vn|cl|sk|ly|cc|to|no|fi|us|pt|dk|ar|hu|tk|gr|il|news|ro|my|biz|ie|za|nz|sg|ee|th|io|xyz|pe|bg|hk|rs|lt|link|ph|club|si|site|mobi|by|cat|wiki|la|ga|xxx|cf|hr|ng|jobs|online|kz|ug|gq|ae|is|lv|pro|fm|tips|ms|sa|app)
            )
            \b
            """),
        new("ip", $$"""
            # The lookbehind/lookahead pair keeps `SomeClass::someMethod()` from reading as IPv6.
            (?<![0-9a-zA-Z_])
            (
                ([0-9a-fA-F]{1,4}:){7,7}[0-9a-fA-F]{1,4}|
                ([0-9a-fA-F]{1,4}:){1,7}:|
                ([0-9a-fA-F]{1,4}:){1,6}:[0-9a-fA-F]{1,4}|
                ([0-9a-fA-F]{1,4}:){1,5}(:[0-9a-fA-F]{1,4}){1,2}|
                ([0-9a-fA-F]{1,4}:){1,4}(:[0-9a-fA-F]{1,4}){1,3}|
                ([0-9a-fA-F]{1,4}:){1,3}(:[0-9a-fA-F]{1,4}){1,4}|
                ([0-9a-fA-F]{1,4}:){1,2}(:[0-9a-fA-F]{1,4}){1,5}|
                [0-9a-fA-F]{1,4}:((:[0-9a-fA-F]{1,4}){1,6})|
                :((:[0-9a-fA-F]{1,4}){1,7}|:)|
                fe80:(:[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}|
                ::(ffff(:0{1,4}){0,1}:){0,1}
                ({{Octet}}\.){3,3}
                {{Octet}}|
                ([0-9a-fA-F]{1,4}:){1,4}:
                ({{Octet}}\.){3,3}
                {{Octet}}\b
            )
            (?![0-9a-zA-Z])
            |
            (
                \b({{Octet}}\.){3,3}
                {{Octet}}\b
            )
            """),
        new("traceparent", """
            (\b00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]\b) |   # W3C traceparent
            (\b1-[0-9a-f]{8}-[0-9a-f]{24}\b)             # AWS X-Ray trace id
            """),
        new("uuid", """\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"""),
        new("sha1", """\b[0-9a-fA-F]{40}\b"""),
        new("md5", """\b[0-9a-fA-F]{32}\b"""),
        new("date", $$"""
            # RFC822, RFC1123, RFC1123Z
            ({{Days}},\s\d{1,2}\s{{Months}}\s\d{2,4}\s\d{1,2}:\d{1,2}(:\d{1,2})?\s([-\+][\d]{2}[0-5][\d]|{{Zone}}))
            |
            # "Mon Jan 02, 1999", "Jan 02, 1999"
            (({{Days}}\s)?{{Months}}\s[0-3]\d,\s\d{2,4})
            |
            # RFC850
            ((?:Sun|Sunday|Mon|Monday|Tue|Tuesday|Wed|Wednesday|Thu|Thursday|Fri|Friday|Sat|Saturday),\s\d{2}-{{Months}}-\d{2}\s\d{2}:\d{2}:\d{2}\s{{Zone}})
            |
            # RFC3339, RFC3339Nano
            (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?([+-]?\d{2}:\d{2})?)
            |
            # JavaScript Date.toString()
            ({{Days}}\s{{Months}}\s\d{2}\s\d{4}\s\d{2}:\d{2}:\d{2}\sGMT[+-]\d{4}(?:\s\([^)]+\))?)
            |
            # Datetime with offset (before plain datetimes so the offset is not left as an int)
            (
                (\d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d:?[0-5]\d\.\d+([+-][0-2]\d:?[0-5]\d|Z))|
                (\d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d:?[0-5]\d([+-][0-2]\d:?[0-5]\d|Z))|
                (\d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d([+-][0-2]\d:?[0-5]\d|Z))
            )
            |
            # Datetime
            (
                (\d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d:?[0-5]\d\.\d+)|
                (\d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d:?[0-5]\d)|
                (\d{4}-?[01]\d-?[0-3]\d[\sT][0-2]\d:?[0-5]\d)
            )
            |
            # Kitchen time, 12-hour (hour at most two digits, seconds consumed by the optional part)
            (
                (?<!\d)
                ([1-9]|1[0-2])
                :[0-5]\d
                (:[0-5]\d)?
                (?![\d:])
                (?:\s?[aApP][Mm])?
            )
            |
            # Kitchen time, 24-hour
            (
                (?<!\d)
                (0?\d|1\d|2[0-3])
                :[0-5]\d
                (:[0-5]\d)?
                (?![\d:])
            )
            |
            # Date
            (\d{4}-[01]\d-[0-3]\d)
            |
            # Time
            ([0-2]\d:[0-5]\d:[0-5]\d)
            |
            # Older syslog-like formats
            (
                \b(?:{{Days}}\s+)?
                {{Months}}\s+
                ([\d]{1,2})\s+
                ([\d]{2}:[\d]{2}:[\d]{2})\s+
                [\d]{4}
            ) |
            (
                \b(?:{{Days}},\s+)?
                (0[1-9]|[1-2]?[\d]|3[01])\s+
                {{Months}}\s+
                (19[\d]{2}|[2-9][\d]{3})\s+
                (2[0-3]|[0-1][\d]):([0-5][\d])
                (?::(60|[0-5][\d]))?\s+
                ([-\+][\d]{2}[0-5][\d]|{{Zone}})
            ) |
            (datetime\.datetime\(.*?\))
            """),
        new("duration", """\b(\d+ms) | (\d+(\.\d+)?s)\b"""),
        new("swift_txn_id", """(\btx[0-9a-f]{21}-[0-9a-f]{10}\S*)"""),
        new("hex", """
            (\b0[xX][0-9a-fA-F]+\b) |               # 0x-prefixed, any length
            (\b(?=[a-f]*[0-9])[0-9a-f]{8,128}\b) |  # 8-128 lower-case hex chars with a digit
            (\b(?=[A-F]*[0-9])[0-9A-F]{8,128}\b)    # 8-128 upper-case hex chars with a digit
            """),
        new("git_sha", """(\b(?=[a-f]*[0-9])(?=[0-9]*[a-f])[0-9a-f]{7}\b)"""),
        new("float", """-\d+\.\d+\b | \b\d+\.\d+\b"""),
        new("int", """
            # A minus sign only counts when it does not join two words (`maisey-908` keeps its dash).
            (\b | (?<!\w)-)
            \d{1,7}    # 8+ digits are left to `hex`
            \b
            """),
        new("quoted_str", """'([^']+)' | "([^"]+)" """, Lookbehind: "="),
        new("bool", """True | true | False | false""", Lookbehind: "="),
    };
}

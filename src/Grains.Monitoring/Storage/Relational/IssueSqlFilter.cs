using System.Globalization;
using System.Text;
using Grains.Monitoring.Search;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// Translates an <see cref="IssueQuery"/>'s projects, environments and parsed search into a SQL
/// condition over <c>issues i</c>. Every value is a parameter; only column names and operators,
/// chosen from fixed sets, are written into the text. Shared by the SQLite and PostgreSQL stores;
/// the <see cref="SqlDialect"/> supplies the case-insensitive pattern operator.
/// </summary>
public sealed class IssueSqlFilter
{
    private const string DefaultQuery = "is:unresolved";

    private readonly StringBuilder _sql = new();
    private readonly List<(string Name, object Value)> _parameters = [];
    private readonly DateTimeOffset _now;
    private readonly string _like;
    private readonly string? _sortColumn;

    private IssueSqlFilter(DateTimeOffset now, SqlDialect dialect, string? sortColumn)
    {
        _now = now;
        _like = dialect.CaseInsensitiveLike;
        _sortColumn = sortColumn;
    }

    /// <summary>The condition (no leading WHERE).</summary>
    public string Sql => _sql.ToString();

    /// <summary>The values of the condition's parameters (<c>@f0</c>, <c>@f1</c>, …).</summary>
    public IReadOnlyList<(string Name, object Value)> Parameters => _parameters;

    /// <exception cref="SearchSyntaxException">The search is malformed.</exception>
    public static IssueSqlFilter Build(IssueQuery query, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(dialect);
        var search = IssueSearch.Parse(string.IsNullOrWhiteSpace(query.Query) ? DefaultQuery : query.Query);
        var sortColumn = query.Sort switch
        {
            "date" or "" or null => "i.last_seen",
            "new" => "i.first_seen",
            _ => null,
        };
        var filter = new IssueSqlFilter(query.Now, dialect, sortColumn);
        filter._sql.Append("i.project_id IN (").Append(filter.List(query.ProjectIds.Select(id => (object)id))).Append(')');
        if (query.Environments.Count > 0)
        {
            filter.And().Append("EXISTS (SELECT 1 FROM issue_tags t WHERE t.issue_id = i.id AND t.tag_key = ")
                .Append(filter.Add("environment")).Append(" AND t.tag_value IN (")
                .Append(filter.List(query.Environments)).Append("))");
        }

        foreach (var term in search.Terms)
        {
            filter.And();
            filter.AppendTerm(term);
        }

        return filter;
    }

    private StringBuilder And() => _sql.Append(" AND ");

    private string Add(object value)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"@f{_parameters.Count}");
        _parameters.Add((name, value));
        return name;
    }

    private string List(IEnumerable<object> values) => string.Join(", ", values.Select(Add));

    private void AppendTerm(SearchTerm term)
    {
        if (term.IsFreeText)
        {
            _sql.Append("lower(i.search_text) ").Append(_like).Append(' ').Append(Add("%" + LikePattern(term.Value.Text.ToLowerInvariant()) + "%")).Append(" ESCAPE '\\'");
            return;
        }

        switch (term.Key)
        {
            case SearchKeys.Is:
                AnyOf(term, value => Status(value.Text));
                break;
            case SearchKeys.Has:
                _sql.Append(term.IsNegated ? "NOT " : "").Append(Has(term.Value.Text));
                break;
            case SearchKeys.Age or SearchKeys.FirstSeen:
                Time("i.first_seen", term);
                break;
            case SearchKeys.LastSeen:
                Time("i.last_seen", term);
                break;
            case SearchKeys.TimesSeen:
                _sql.Append("i.times_seen ").Append(Comparator(term.Operator)).Append(' ').Append(Add(term.Value.Number));
                break;
            case SearchKeys.Level:
                AnyOf(term, value => Match("i.level", value));
                break;
            case SearchKeys.ErrorType:
                AnyOf(term, value => Match("COALESCE(i.error_type, '')", value));
                break;
            case SearchKeys.ErrorValue:
                AnyOf(term, value => Match("COALESCE(i.error_value, '')", value));
                break;
            case SearchKeys.FirstRelease:
                AnyOf(term, value => Match("COALESCE(i.first_release, '')", value));
                break;
            default:
                Tag(term);
                break;
        }
    }

    // (a OR b), negated as a whole for !key:[a, b].
    private void AnyOf(SearchTerm term, Func<SearchValue, string> condition)
    {
        _sql.Append(term.IsNegated ? "NOT (" : "(");
        for (var i = 0; i < term.Values.Count; i++)
        {
            _sql.Append(i == 0 ? "" : " OR ").Append(condition(term.Values[i]));
        }

        _sql.Append(')');
    }

    private void Tag(SearchTerm term)
    {
        // A negated tag term matches issues that never had a matching value (Sentry's reading of !tag:value).
        _sql.Append(term.IsNegated ? "NOT " : "")
            .Append("EXISTS (SELECT 1 FROM issue_tags t WHERE t.issue_id = i.id AND t.tag_key = ").Append(Add(term.Key!)).Append(" AND (");
        for (var i = 0; i < term.Values.Count; i++)
        {
            _sql.Append(i == 0 ? "" : " OR ").Append(Match("t.tag_value", term.Values[i]));
        }

        _sql.Append("))");
    }

    private string Has(string key) => key switch
    {
        SearchKeys.ErrorType => "i.error_type IS NOT NULL",
        SearchKeys.ErrorValue => "i.error_value IS NOT NULL",
        SearchKeys.FirstRelease => "i.first_release IS NOT NULL",
        _ => "EXISTS (SELECT 1 FROM issue_tags t WHERE t.issue_id = i.id AND t.tag_key = " + Add(key) + ")",
    };

    private string Status(string status) => status switch
    {
        "unresolved" or "resolved" => "i.status = " + Add(status),
        "ignored" or "archived" or "muted" => "i.status = " + Add("ignored"),
        _ => "(i.status = " + Add("unresolved") + " AND i.substatus = " + Add(status) + ")",
    };

    private string Match(string column, SearchValue value) => value.HasWildcard
        ? column + " " + _like + " " + Add(LikePattern(value.Text)) + " ESCAPE '\\'"
        : column + " = " + Add(value.Literal);

    private void Time(string indexed, SearchTerm term)
    {
        // A time range on another column than the sort's is written as an expression (+column), so the
        // database walks the sort's index and stops after a page instead of reading every issue in the
        // range and sorting them: with 100,000 issues, lastSeen:-14d sorted by events went from about a
        // second to under a millisecond (bench/results/dashboard.md). The walk costs at most the project's
        // issues when the range is very narrow.
        var column = indexed == _sortColumn ? indexed : "+" + indexed;
        var value = term.Value;
        if (value.Kind == SearchValueKind.Relative)
        {
            var instant = Add(StoreTime.ToMicroseconds(value.ResolveRelative(_now)));
            var op = term.Operator == SearchOperator.Equal ? (value.Within ? ">=" : "<=") : Comparator(term.Operator);
            _sql.Append(column).Append(' ').Append(op).Append(' ').Append(instant);
            return;
        }

        if (term.Operator == SearchOperator.Equal)
        {
            // An equality covers the day (date only) or the second written.
            var end = value.DateOnly ? value.Date.AddDays(1) : value.Date.AddSeconds(1);
            _sql.Append('(').Append(column).Append(" >= ").Append(Add(StoreTime.ToMicroseconds(value.Date)))
                .Append(" AND ").Append(column).Append(" < ").Append(Add(StoreTime.ToMicroseconds(end))).Append(')');
            return;
        }

        _sql.Append(column).Append(' ').Append(Comparator(term.Operator)).Append(' ').Append(Add(StoreTime.ToMicroseconds(value.Date)));
    }

    private static string Comparator(SearchOperator op) => op switch
    {
        SearchOperator.Equal => "=",
        SearchOperator.NotEqual => "<>",
        SearchOperator.GreaterThan => ">",
        SearchOperator.LessThan => "<",
        SearchOperator.GreaterThanOrEqual => ">=",
        SearchOperator.LessThanOrEqual => "<=",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>A search value as a LIKE pattern: <c>*</c> is <c>%</c>; <c>%</c>, <c>_</c> and <c>\</c> are escaped with <c>\</c>.</summary>
    public static string LikePattern(string text)
    {
        var pattern = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length)
            {
                c = text[++i];
            }
            else if (c == '*')
            {
                pattern.Append('%');
                continue;
            }

            if (c is '%' or '_' or '\\')
            {
                pattern.Append('\\');
            }

            pattern.Append(c);
        }

        return pattern.ToString();
    }
}

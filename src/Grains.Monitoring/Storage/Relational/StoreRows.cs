using System.Data.Common;

namespace Grains.Monitoring.Storage.Relational;

/// <summary>
/// Column lists and row readers shared by the relational stores: every backend selects the same
/// columns in the same order (integer times in microseconds, flags as 0/1) and maps them here.
/// </summary>
public static class StoreRows
{
    /// <summary>The <c>events</c> columns <see cref="Event"/> reads.</summary>
    public const string EventColumns = "project_id, event_id, issue_id, event_timestamp, received, stream_offset, title, message, platform, event_type, payload_size, payload";

    public const string OrganizationColumns = "id, slug, name, date_created";

    public const string ProjectColumns = "id, organization_id, slug, name, platform, date_created, grouping_config_id, fingerprint_rules, stack_trace_rules";

    public const string KeyColumns = "project_id, name, public_key, secret_key, is_active, date_created, rate_limit_count, rate_limit_window";

    /// <summary>The columns <see cref="RateLimit"/> reads.</summary>
    public const string RateLimitColumns = "scope, scope_id, limit_count, window_seconds, share_percent";

    public const string TokenColumns = "id, name, token_hash, date_created, user_id, scopes, last_characters";

    /// <summary>The <c>project_items i</c> columns <see cref="Item"/> reads; extra selected values (issue, payload) follow them.</summary>
    public const string ItemColumns = "i.id, i.project_id, i.event_id, i.item_type, i.category, i.filename, i.content_type, i.attachment_type, i.received, i.quantity, i.payload_size, i.stored_size, i.truncated, i.sha1, i.reporter_name, i.reporter_email, i.comments";

    /// <summary>The number of columns in <see cref="ItemColumns"/>.</summary>
    public const int ItemColumnCount = 17;

    /// <summary>A row of <see cref="IssuePagePlan.IssueColumns"/>.</summary>
    public static IssueRecord Issue(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new()
        {
            Id = reader.GetInt64(0),
            ProjectId = reader.GetInt64(1),
            GrainKey = reader.GetString(2),
            ShortNumber = reader.GetInt64(3),
            Title = reader.GetString(4),
            Culprit = reader.GetString(5),
            Level = reader.GetString(6),
            Platform = reader.GetString(7),
            Logger = reader.IsDBNull(8) ? null : reader.GetString(8),
            Type = reader.GetString(9),
            MetadataJson = reader.GetString(10),
            Status = reader.GetString(11),
            Substatus = reader.IsDBNull(12) ? null : reader.GetString(12),
            StatusDetailsJson = reader.GetString(13),
            FirstSeen = StoreTime.FromMicroseconds(reader.GetInt64(14)),
            LastSeen = StoreTime.FromMicroseconds(reader.GetInt64(15)),
            TimesSeen = reader.GetInt64(16),
            UserCount = reader.GetInt64(17),
            FirstRelease = reader.IsDBNull(18) ? null : reader.GetString(18),
            LastRelease = reader.IsDBNull(19) ? null : reader.GetString(19),
            ErrorType = reader.IsDBNull(20) ? null : reader.GetString(20),
            ErrorValue = reader.IsDBNull(21) ? null : reader.GetString(21),
            SearchText = reader.GetString(22),
        };
    }

    /// <summary>A row of <c>tag_key, tag_value, times_seen, first_seen, last_seen</c>.</summary>
    public static IssueTagValue TagValue(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new(
            reader.GetString(0), reader.GetString(1), reader.GetInt64(2),
            StoreTime.FromMicroseconds(reader.GetInt64(3)), StoreTime.FromMicroseconds(reader.GetInt64(4)));
    }

    /// <summary>A row of <see cref="EventColumns"/>, its payload decompressed.</summary>
    public static StoredEvent Event(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new()
        {
            ProjectId = reader.GetInt64(0),
            EventId = reader.GetString(1),
            IssueId = reader.GetInt64(2),
            Timestamp = StoreTime.FromMicroseconds(reader.GetInt64(3)),
            Received = StoreTime.FromMicroseconds(reader.GetInt64(4)),
            StreamOffset = reader.GetInt64(5),
            Title = reader.GetString(6),
            Message = reader.GetString(7),
            Platform = reader.GetString(8),
            Type = reader.GetString(9),
            Json = EventPayload.Decompress(reader.GetFieldValue<byte[]>(11), reader.GetInt64(10)),
        };
    }

    /// <summary>A row of <see cref="OrganizationColumns"/>.</summary>
    public static OrganizationRecord Organization(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), StoreTime.FromMicroseconds(reader.GetInt64(3)));
    }

    /// <summary>A row of <see cref="ProjectColumns"/>.</summary>
    public static ProjectRecord Project(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new()
        {
            Id = reader.GetInt64(0),
            OrganizationId = reader.GetInt64(1),
            Slug = reader.GetString(2),
            Name = reader.GetString(3),
            Platform = reader.IsDBNull(4) ? null : reader.GetString(4),
            DateCreated = StoreTime.FromMicroseconds(reader.GetInt64(5)),
            GroupingConfigId = reader.GetString(6),
            FingerprintRules = reader.GetString(7),
            StackTraceRules = reader.GetString(8),
        };
    }

    /// <summary>A row of <see cref="KeyColumns"/>.</summary>
    public static ProjectKeyRecord Key(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new()
        {
            ProjectId = reader.GetInt64(0),
            Name = reader.GetString(1),
            PublicKey = reader.GetString(2),
            SecretKey = reader.GetString(3),
            IsActive = reader.GetInt64(4) != 0,
            DateCreated = StoreTime.FromMicroseconds(reader.GetInt64(5)),
            RateLimitCount = reader.IsDBNull(6) ? null : reader.GetInt64(6),
            RateLimitWindow = reader.IsDBNull(7) ? null : reader.GetInt64(7),
        };
    }

    /// <summary>A row of <see cref="RateLimitColumns"/>.</summary>
    public static ScopeRateLimitRecord RateLimit(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new(
            reader.GetString(0),
            reader.GetInt64(1),
            reader.IsDBNull(2) ? null : reader.GetInt64(2),
            reader.IsDBNull(3) ? null : reader.GetInt64(3),
            reader.IsDBNull(4) ? null : (int)reader.GetInt64(4));
    }

    /// <summary>A row of <see cref="TokenColumns"/>.</summary>
    public static ApiTokenRecord Token(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new(
            reader.GetInt64(0),
            reader.GetString(1),
            reader.GetString(2),
            StoreTime.FromMicroseconds(reader.GetInt64(3)),
            reader.IsDBNull(4) ? null : reader.GetInt64(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6));
    }

    /// <summary>A row of <see cref="ItemColumns"/>, with the linked issue in the next column when <paramref name="withIssue"/>.</summary>
    public static ItemRecord Item(DbDataReader reader, bool withIssue)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new()
        {
            Id = reader.GetInt64(0),
            ProjectId = reader.GetInt64(1),
            EventId = reader.IsDBNull(2) ? null : reader.GetString(2),
            ItemType = reader.GetString(3),
            Category = reader.IsDBNull(4) ? null : reader.GetString(4),
            Filename = reader.IsDBNull(5) ? null : reader.GetString(5),
            ContentType = reader.IsDBNull(6) ? null : reader.GetString(6),
            AttachmentType = reader.IsDBNull(7) ? null : reader.GetString(7),
            Received = StoreTime.FromMicroseconds(reader.GetInt64(8)),
            Quantity = reader.GetInt64(9),
            Size = reader.GetInt64(10),
            StoredSize = reader.GetInt64(11),
            Truncated = reader.GetInt64(12) != 0,
            Sha1 = reader.GetString(13),
            Name = reader.IsDBNull(14) ? null : reader.GetString(14),
            Email = reader.IsDBNull(15) ? null : reader.GetString(15),
            Comments = reader.IsDBNull(16) ? null : reader.GetString(16),
            IssueId = withIssue && !reader.IsDBNull(ItemColumnCount) ? reader.GetInt64(ItemColumnCount) : null,
        };
    }
}

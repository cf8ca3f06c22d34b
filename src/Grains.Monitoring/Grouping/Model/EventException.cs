using System.Text.Json.Nodes;

namespace Grains.Monitoring.Grouping.Model;

/// <summary>One entry of <c>exception.values</c>.</summary>
internal sealed class EventException
{
    public string? Type { get; init; }
    public string? Value { get; init; }
    public string? Module { get; init; }
    public EventStacktrace? Stacktrace { get; set; }
    public bool Synthetic { get; init; }
    public bool IsExceptionGroup { get; init; }
    public long? ExceptionId { get; init; }
    public long? ParentId { get; init; }
    public string? MechanismType { get; init; }
    public string? MechanismSource { get; init; }
    public bool HasMechanism { get; init; }
    public bool HasNsError { get; init; }
    public string? NsErrorDomain { get; init; }
    public string? NsErrorCode { get; init; }

    public static EventException FromJson(JsonObject json)
    {
        var mechanism = json["mechanism"] as JsonObject;
        var nsError = (mechanism?["meta"] as JsonObject)?["ns_error"] as JsonObject;
        return new EventException
        {
            Type = JsonRead.String(json["type"]),
            Value = JsonRead.String(json["value"]),
            Module = JsonRead.String(json["module"]),
            Stacktrace = EventStacktrace.FromJson(json["stacktrace"]),
            HasMechanism = mechanism is not null,
            Synthetic = JsonRead.Bool(mechanism?["synthetic"]) == true,
            IsExceptionGroup = JsonRead.Bool(mechanism?["is_exception_group"]) == true,
            ExceptionId = JsonRead.Long(mechanism?["exception_id"]),
            ParentId = JsonRead.Long(mechanism?["parent_id"]),
            MechanismType = JsonRead.String(mechanism?["type"]),
            MechanismSource = JsonRead.String(mechanism?["source"]),
            HasNsError = nsError is not null,
            NsErrorDomain = JsonRead.String(nsError?["domain"]),
            NsErrorCode = JsonRead.String(nsError?["code"]),
        };
    }
}

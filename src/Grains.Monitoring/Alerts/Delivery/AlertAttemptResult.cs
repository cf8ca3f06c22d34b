namespace Grains.Monitoring.Alerts.Delivery;

/// <summary>What one send attempt came to.</summary>
/// <param name="Delivered">The receiver accepted it.</param>
/// <param name="StatusCode">The receiver's HTTP status or SMTP reply code, when it answered.</param>
/// <param name="Error">Why it failed (no secrets), or null.</param>
/// <param name="Permanent">Retrying cannot help (the destination is no longer configured): dead at once.</param>
public sealed record AlertAttemptResult(bool Delivered, int? StatusCode, string? Error, bool Permanent = false)
{
    public static AlertAttemptResult Success(int? statusCode) => new(true, statusCode, null);

    public static AlertAttemptResult Failure(string error, int? statusCode = null) => new(false, statusCode, error);

    public static AlertAttemptResult Unsendable(string error) => new(false, null, error, Permanent: true);
}

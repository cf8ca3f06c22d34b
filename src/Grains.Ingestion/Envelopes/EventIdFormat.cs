using System.Diagnostics.CodeAnalysis;

namespace Grains.Ingestion.Envelopes;

/// <summary>Event ids: accepted as any UUID form, written as 32 lowercase hex (Relay's <c>as_simple</c>).</summary>
internal static class EventIdFormat
{
    public static bool TryNormalize(string? text, [NotNullWhen(true)] out string? eventId)
    {
        if (text is not null && text.Length <= 38 && Guid.TryParse(text, out var guid))
        {
            eventId = guid.ToString("N");
            return true;
        }

        eventId = null;
        return false;
    }

    public static string NewId() => Guid.NewGuid().ToString("N");
}

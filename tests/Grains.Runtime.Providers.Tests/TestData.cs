using System.Text;

namespace Grains.Runtime.Providers.Tests;

/// <summary>Small helpers shared by the contract tests.</summary>
internal static class TestData
{
    public static GrainId NewGrain(string type = "test") => new(type, Guid.NewGuid().ToString("N"));

    public static byte[] Bytes(string value) => Encoding.UTF8.GetBytes(value);

    public static string Text(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);

    /// <summary>A time with millisecond precision, which every provider stores exactly.</summary>
    public static DateTimeOffset Time(int minutes = 0) => new DateTimeOffset(2025, 3, 14, 15, 9, 26, 535, TimeSpan.Zero).AddMinutes(minutes);
}

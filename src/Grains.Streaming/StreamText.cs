using System.Text;
using Orleans.Runtime;

namespace Grains.Streaming;

/// <summary>
/// A stream id as the two text columns the SQL logs store (namespace, key): readable in the
/// database, and <see cref="StreamId.Create(string, string)"/> of them gives the same id back.
/// </summary>
internal static class StreamText
{
    /// <summary>The namespace as text ("" when the stream has none).</summary>
    public static string Namespace(StreamId stream) => Encoding.UTF8.GetString(stream.Namespace.Span);

    /// <summary>The key as text; a stream without a key (<c>default(StreamId)</c>) is refused.</summary>
    /// <exception cref="ArgumentException">The stream has no key.</exception>
    public static string Key(StreamId stream, string paramName)
    {
        if (stream.Key.IsEmpty)
        {
            throw new ArgumentException("A record's stream must have a key (default(StreamId) has none).", paramName);
        }

        return Encoding.UTF8.GetString(stream.Key.Span);
    }
}

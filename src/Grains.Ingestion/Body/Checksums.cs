namespace Grains.Ingestion.Body;

/// <summary>
/// The trailer checksums of gzip (CRC-32) and zlib (Adler-32). .NET's GZipStream and ZLibStream end
/// silently on a truncated stream, so verifying the trailer is the only way to tell a cut-off body
/// from a complete one.
/// </summary>
internal static class Checksums
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var table = CrcTable;
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    public static uint Adler32(ReadOnlySpan<byte> data)
    {
        // 5552 is the largest block for which the sums cannot overflow 32 bits before the modulo.
        const uint Mod = 65521;
        uint a = 1, b = 0;
        while (!data.IsEmpty)
        {
            var block = data[..Math.Min(5552, data.Length)];
            foreach (var x in block)
            {
                a += x;
                b += a;
            }

            a %= Mod;
            b %= Mod;
            data = data[block.Length..];
        }

        return (b << 16) | a;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}

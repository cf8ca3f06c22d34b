using System.Data.Common;

namespace Grains.Monitoring.Storage.Tests.Backends;

internal static class BackendRows
{
    public static async Task<IReadOnlyList<object?[]>> ReadAllAsync(DbDataReader reader)
    {
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                {
                    int value => (long)value,
                    short value => (long)value,
                    var value => value,
                };
            }

            rows.Add(row);
        }

        return rows;
    }
}

using System.Text;
using Grains.Ingestion.Errors;

namespace Grains.Ingestion.Tests.Errors;

public class IngestErrorBodyTests
{
    [Fact]
    public void Writes_detail_and_causes()
    {
        var error = IngestException.BadRequest("failed to read request body", "failed to decode zlib payload", "corrupt deflate stream");
        Assert.Equal(
            "{\"detail\":\"failed to read request body\",\"causes\":[\"failed to decode zlib payload\",\"corrupt deflate stream\"]}",
            Encoding.UTF8.GetString(IngestErrorBody.ToUtf8Bytes(error)));
    }

    [Fact]
    public void Leaves_out_empty_causes()
    {
        var error = IngestException.Unauthorized("missing authorization information");
        Assert.Equal(401, error.StatusCode);
        Assert.Equal("{\"detail\":\"missing authorization information\"}", Encoding.UTF8.GetString(IngestErrorBody.ToUtf8Bytes(error)));
    }
}

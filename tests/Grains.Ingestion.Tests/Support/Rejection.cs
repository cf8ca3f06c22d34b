using Grains.Ingestion.Errors;

namespace Grains.Ingestion.Tests.Support;

internal static class Rejection
{
    public static IngestException Assert(Action action, int status, string detail, string? causeFragment = null)
    {
        var error = Xunit.Assert.Throws<IngestException>(action);
        Check(error, status, detail, causeFragment);
        return error;
    }

    public static async Task<IngestException> AssertAsync(Func<Task> action, int status, string detail, string? causeFragment = null)
    {
        var error = await Xunit.Assert.ThrowsAsync<IngestException>(action);
        Check(error, status, detail, causeFragment);
        return error;
    }

    private static void Check(IngestException error, int status, string detail, string? causeFragment)
    {
        Xunit.Assert.Equal(status, error.StatusCode);
        Xunit.Assert.Equal(detail, error.Detail);
        if (causeFragment is not null)
        {
            Xunit.Assert.Contains(error.Causes, c => c.Contains(causeFragment, StringComparison.Ordinal));
        }
    }
}

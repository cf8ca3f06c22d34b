namespace Grains.AppHost.Tests.Support;

/// <summary>
/// A fresh data root for one AppHost (<c>--data</c>), never <c>./data</c>. Open to other users (0755):
/// when the tests run as root, PostgreSQL runs as the postgres user and must reach <c>DATA/pg</c>.
/// Disposing stops whatever still mentions it and deletes it.
/// </summary>
internal sealed class TestDataDirectory : IDisposable
{
    public TestDataDirectory()
    {
        Path = Directory.CreateTempSubdirectory("grains-apptest-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path, (UnixFileMode)0b111_101_101);
        }
    }

    /// <summary>The directory (absolute).</summary>
    public string Path { get; }

    public void Dispose()
    {
        // A test that failed half-way may leave a silo or PostgreSQL behind; the passing path asserts there is none.
        foreach (var pid in ProcessEnvironment.Mentioning(Path))
        {
            try
            {
                System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Exited meanwhile.
            }
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A process that exits late may still write there; the directory is under the temp folder.
        }
    }
}

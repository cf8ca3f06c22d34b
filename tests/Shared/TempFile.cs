namespace Grains.Testing;

/// <summary>A database path in a fresh directory, deleted with the directory on dispose.</summary>
public sealed class TempFile : IDisposable
{
    public TempFile()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("grains-test-").FullName;
        Path = System.IO.Path.Combine(Directory, "grains.db");
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A test that failed may still hold the file; the temp directory is cleaned by the OS.
        }
    }
}

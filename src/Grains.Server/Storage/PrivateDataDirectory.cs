namespace Grains.Server.Storage;

/// <summary>
/// The data directory and its files are the owner's only: the directory is created with mode 700, the
/// SQLite database and the admin token file with 600, whatever the process umask (a umask only ever
/// removes permissions from the mode a file is created with, never adds any).
/// </summary>
/// <remarks>
/// SQLite creates <c>-wal</c>, <c>-shm</c> and <c>-journal</c> files itself, with the permissions of the
/// database file (and fixes them up to those when the umask took some away). So the database file is
/// created here, empty and 600, before SQLite opens it: its companions follow. This was chosen over
/// setting the process umask to 077: that changes every file the process creates anywhere, is
/// process-global state a library host (the AppHost, tests) does not expect, and needs native calls.
/// An existing database from an older version is tightened (chmod) at start. A directory that exists
/// already is left as its owner made it.
/// </remarks>
public static class PrivateDataDirectory
{
    /// <summary>Mode 700.</summary>
    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>Mode 600.</summary>
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private static readonly string[] SqliteCompanions = ["", "-wal", "-shm", "-journal"];

    /// <summary>Creates <paramref name="directory"/> (and missing parents) owner-only when it does not exist.</summary>
    public static void Ensure(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, PrivateDirectoryMode);
        }
    }

    /// <summary>
    /// Creates the directory of the SQLite database <paramref name="databaseFile"/> and the empty
    /// database file owner-only, or makes an existing file and its companions owner-only.
    /// </summary>
    public static void PrepareSqliteFile(string databaseFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databaseFile);
        var full = Path.GetFullPath(databaseFile);
        Ensure(Path.GetDirectoryName(full)!);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        try
        {
            // CreateNew: an existing database is never truncated; a racing creator wins and is tightened below.
            using var created = new FileStream(full, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = PrivateFileMode });
        }
        catch (IOException) when (File.Exists(full))
        {
            // It exists.
        }

        foreach (var suffix in SqliteCompanions)
        {
            Tighten(full + suffix);
        }
    }

    /// <summary>Writes <paramref name="contents"/> to a new file that only the owner can read and write (replacing an old one).</summary>
    public static async Task WritePrivateFileAsync(string path, string contents, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(contents);
        Ensure(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = PrivateFileMode;
            Tighten(path); // Create keeps an existing file's mode.
        }

        await using var stream = new FileStream(path, options);
        await using var writer = new StreamWriter(stream);
        await writer.WriteAsync(contents.AsMemory(), cancellationToken);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Tighten(string path)
    {
        if (File.Exists(path) && (File.GetUnixFileMode(path) & ~PrivateFileMode) != 0)
        {
            File.SetUnixFileMode(path, PrivateFileMode);
        }
    }
}

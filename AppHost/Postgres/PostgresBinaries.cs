namespace Grains.AppHost.Postgres;

/// <summary>
/// The directory of this machine's PostgreSQL server programs (<c>initdb</c>, <c>pg_ctl</c>,
/// <c>postgres</c>): the one that <c>initdb</c> on the PATH lives in after resolving symbolic links
/// (so a link in /usr/local/bin finds the real installation), else the highest version under
/// <c>/usr/lib/postgresql/*/bin</c> (Debian and Ubuntu, whose PATH has no <c>initdb</c>).
/// </summary>
public sealed class PostgresBinaries
{
    /// <summary>Where distributions install versioned server binaries: <c>ROOT/VERSION/bin</c>.</summary>
    public static readonly IReadOnlyList<string> DefaultInstallRoots = ["/usr/lib/postgresql"];

    private PostgresBinaries(string directory) => Directory = directory;

    /// <summary>The directory holding the server programs.</summary>
    public string Directory { get; }

    /// <summary>Path of <c>initdb</c>.</summary>
    public string InitDb => Program("initdb");

    /// <summary>Path of <c>pg_ctl</c>.</summary>
    public string PgCtl => Program("pg_ctl");

    /// <summary>Path of <c>postgres</c>.</summary>
    public string Postgres => Program("postgres");

    /// <summary>The message for a machine without the binaries.</summary>
    public static string NotFoundMessage =>
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on the PATH nor under "
        + string.Join(", ", DefaultInstallRoots.Select(r => r + "/*/bin"))
        + ": install them (Debian/Ubuntu: apt-get install postgresql-15).";

    /// <summary>Finds the binaries of this machine, or null.</summary>
    public static PostgresBinaries? Find() => Find(Environment.GetEnvironmentVariable("PATH"), DefaultInstallRoots);

    /// <summary>Finds the binaries from a PATH value and install roots, or null.</summary>
    public static PostgresBinaries? Find(string? path, IEnumerable<string> installRoots)
    {
        foreach (var entry in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Path.IsPathRooted(entry))
            {
                continue; // a relative PATH entry depends on the working directory: not a reliable installation
            }

            var initdb = Path.Combine(entry, ExecutableName("initdb"));
            if (!File.Exists(initdb))
            {
                continue;
            }

            var directory = Path.GetDirectoryName(ResolveLinks(initdb));
            if (directory is not null && IsComplete(directory))
            {
                return new PostgresBinaries(directory);
            }
        }

        foreach (var root in installRoots)
        {
            if (!System.IO.Directory.Exists(root))
            {
                continue;
            }

            var versions = System.IO.Directory.GetDirectories(root)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: ParseVersion(Path.GetFileName(d))))
                .OrderByDescending(v => v.Version)
                .ThenByDescending(v => v.Directory, StringComparer.Ordinal);
            foreach (var (directory, _) in versions)
            {
                if (IsComplete(directory))
                {
                    return new PostgresBinaries(directory);
                }
            }
        }

        return null;
    }

    /// <summary>The version a directory name stands for ("15", "9.6", "16.2"); names that are no version sort lowest.</summary>
    public static Version ParseVersion(string name)
    {
        var parts = name.Split('.');
        var numbers = new List<int>();
        foreach (var part in parts)
        {
            if (!int.TryParse(part, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                return new Version(0, 0);
            }

            numbers.Add(number);
        }

        return numbers.Count switch
        {
            1 => new Version(numbers[0], 0),
            2 => new Version(numbers[0], numbers[1]),
            3 => new Version(numbers[0], numbers[1], numbers[2]),
            _ => new Version(0, 0),
        };
    }

    private static bool IsComplete(string directory) =>
        File.Exists(Path.Combine(directory, ExecutableName("initdb")))
        && File.Exists(Path.Combine(directory, ExecutableName("pg_ctl")))
        && File.Exists(Path.Combine(directory, ExecutableName("postgres")));

    private static string ResolveLinks(string file)
    {
        try
        {
            var target = File.ResolveLinkTarget(file, returnFinalTarget: true);
            return target?.FullName ?? Path.GetFullPath(file);
        }
        catch (IOException)
        {
            return Path.GetFullPath(file);
        }
    }

    private static string ExecutableName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;

    private string Program(string name) => Path.Combine(Directory, ExecutableName(name));
}

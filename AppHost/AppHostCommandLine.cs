using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Grains.AppHost;

/// <summary>
/// The AppHost's own arguments. Without any launcher option the arguments belong to the silo that
/// runs in this process (ASP.NET Core configuration such as <c>--urls</c>) and pass through untouched.
/// With <c>--silos N</c> or <c>--postgres</c> it is the local cluster: every argument must be one of
/// the launcher's, and arguments after <c>--</c> go to every silo.
/// </summary>
public sealed class AppHostCommandLine
{
    /// <summary>The most silos the local launcher starts.</summary>
    public const int MaxSilos = 32;

    /// <summary>Default first public HTTP port of the cluster's silos.</summary>
    public const int DefaultPublicPort = 8000;

    /// <summary>Default first silo-to-silo port.</summary>
    public const int DefaultInternalPort = 11111;

    /// <summary>Default seconds to wait for every silo's <c>/health</c>.</summary>
    public const int DefaultHealthTimeoutSeconds = 180;

    /// <summary>The usage text (<c>--help</c>).</summary>
    public const string Usage = """
        Usage: dotnet run --project AppHost [-- OPTIONS]

        Without options: the embedded default, one silo in this process on SQLite under ./data
        (http://127.0.0.1:8000). Other arguments are that silo's configuration (--urls URL,
        --Grains:DataDirectory=DIR, ...).

        Local cluster:
          --silos N             start N silo processes (1-32); needs --postgres (SQLite is single-silo)
          --postgres            start PostgreSQL from this machine's binaries, data under DATA/pg
          --port P              first public HTTP port (default 8000; taken ports are skipped)
          --internal-port P     first silo-to-silo port (default 11111; taken ports are skipped)
          --data DIR            data root (default ./data): DATA/pg, DATA/silo1, DATA/silo2, ...
          --health-timeout S    seconds to wait for every silo's /health (default 180)
          -- ARGS               everything after -- is passed to every silo

        Example: dotnet run --project AppHost -- --silos 3 --postgres
        """;

    private const string TestSqliteSilos = "--test-sqlite-silos";

    private AppHostCommandLine(AppHostMode mode, IReadOnlyList<string> siloArguments)
    {
        Mode = mode;
        SiloArguments = siloArguments;
    }

    /// <summary>What to do.</summary>
    public AppHostMode Mode { get; }

    /// <summary>Cluster: how many silo processes.</summary>
    public int Silos { get; private init; }

    /// <summary>Cluster: whether the silos store on a PostgreSQL server the launcher starts.</summary>
    public bool Postgres { get; private init; }

    /// <summary>
    /// Cluster, internal (<c>--test-sqlite-silos</c>): N independent silos, each on its own SQLite
    /// database, no PostgreSQL. Not a cluster: for testing the launcher (processes, ports, health, stop).
    /// </summary>
    public bool TestSqliteSilosMode { get; private init; }

    /// <summary>Cluster: the first public HTTP port.</summary>
    public int PublicPort { get; private init; } = DefaultPublicPort;

    /// <summary>Cluster: the first silo-to-silo port.</summary>
    public int InternalPort { get; private init; } = DefaultInternalPort;

    /// <summary>Cluster: the data root (relative to the working directory unless rooted).</summary>
    public string DataDirectory { get; private init; } = "data";

    /// <summary>Cluster: how long to wait for every silo's <c>/health</c>.</summary>
    public TimeSpan HealthTimeout { get; private init; } = TimeSpan.FromSeconds(DefaultHealthTimeoutSeconds);

    /// <summary>
    /// Silo: the arguments of the silo in this process (all of them, unchanged). Cluster: the arguments
    /// given after <c>--</c>, passed to every silo.
    /// </summary>
    public IReadOnlyList<string> SiloArguments { get; }

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says what is wrong, in one sentence.</summary>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out AppHostCommandLine? commandLine, [NotNullWhen(false)] out string? error)
    {
        commandLine = null;
        error = null;
        if (args.Any(a => a is "--help" or "-h" or "-?"))
        {
            commandLine = new AppHostCommandLine(AppHostMode.Help, []);
            return true;
        }

        var separator = IndexOf(args, "--");
        var own = separator < 0 ? args : args.Take(separator).ToList();
        if (!own.Any(IsClusterSwitch))
        {
            var stray = own.FirstOrDefault(IsLauncherOption);
            if (stray is not null)
            {
                error = $"{NameOf(stray)} is an option of the local cluster: give --silos N --postgres too.";
                return false;
            }

            commandLine = new AppHostCommandLine(AppHostMode.Silo, args.ToList());
            return true;
        }

        int? silos = null, publicPort = null, internalPort = null, healthTimeout = null;
        string? data = null;
        bool postgres = false, sqlite = false;
        for (var i = 0; i < own.Count; i++)
        {
            var argument = own[i];
            if (!argument.StartsWith('-'))
            {
                error = $"Unexpected argument '{argument}' (silo arguments go after --).";
                return false;
            }

            var equals = argument.IndexOf('=');
            var name = equals < 0 ? argument : argument[..equals];
            var inlineValue = equals < 0 ? null : argument[(equals + 1)..];
            switch (name)
            {
                case "--postgres":
                case TestSqliteSilos:
                    if (inlineValue is not null)
                    {
                        error = $"{name} takes no value.";
                        return false;
                    }

                    ref var flag = ref name == "--postgres" ? ref postgres : ref sqlite;
                    if (flag)
                    {
                        error = $"{name} is given twice.";
                        return false;
                    }

                    flag = true;
                    break;
                case "--silos":
                case "--port":
                case "--internal-port":
                case "--health-timeout":
                case "--data":
                    string value;
                    if (inlineValue is not null)
                    {
                        value = inlineValue;
                    }
                    else if (i + 1 < own.Count && !IsOptionName(own[i + 1]))
                    {
                        value = own[++i];
                    }
                    else
                    {
                        error = $"{name} needs a value{(name == "--data" ? " (a directory)" : " (a number)")}.";
                        return false;
                    }

                    if (name == "--data")
                    {
                        if (data is not null)
                        {
                            error = "--data is given twice.";
                            return false;
                        }

                        if (string.IsNullOrWhiteSpace(value))
                        {
                            error = "--data needs a directory.";
                            return false;
                        }

                        data = value;
                        break;
                    }

                    var (min, max) = name switch
                    {
                        "--silos" => (1, MaxSilos),
                        "--health-timeout" => (1, 3600),
                        _ => (1, 65535),
                    };
                    if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
                    {
                        error = $"{name}: '{value}' is not a number.";
                        return false;
                    }

                    if (number < min || number > max)
                    {
                        error = $"{name} must be between {min} and {max} (got {number}).";
                        return false;
                    }

                    var already = name switch
                    {
                        "--silos" => silos,
                        "--port" => publicPort,
                        "--internal-port" => internalPort,
                        _ => healthTimeout,
                    };
                    if (already is not null)
                    {
                        error = $"{name} is given twice.";
                        return false;
                    }

                    switch (name)
                    {
                        case "--silos": silos = number; break;
                        case "--port": publicPort = number; break;
                        case "--internal-port": internalPort = number; break;
                        default: healthTimeout = number; break;
                    }

                    break;
                default:
                    error = $"Unknown option '{name}' for the local cluster (see --help; silo arguments go after --).";
                    return false;
            }
        }

        if (postgres && sqlite)
        {
            error = $"--postgres and {TestSqliteSilos} exclude each other.";
            return false;
        }

        if (!postgres && !sqlite)
        {
            error = $"--silos {silos} needs --postgres: SQLite is single-silo (run without --silos for the embedded default).";
            return false;
        }

        if (silos is null && sqlite)
        {
            error = $"{TestSqliteSilos} needs --silos N.";
            return false;
        }

        commandLine = new AppHostCommandLine(AppHostMode.Cluster, separator < 0 ? [] : args.Skip(separator + 1).ToList())
        {
            Silos = silos ?? 1,
            Postgres = postgres,
            TestSqliteSilosMode = sqlite,
            PublicPort = publicPort ?? DefaultPublicPort,
            InternalPort = internalPort ?? DefaultInternalPort,
            DataDirectory = data ?? "data",
            HealthTimeout = TimeSpan.FromSeconds(healthTimeout ?? DefaultHealthTimeoutSeconds),
        };
        return true;
    }

    private static int IndexOf(IReadOnlyList<string> args, string value)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private static string NameOf(string argument) => argument.Split('=', 2)[0];

    private static bool IsClusterSwitch(string argument) => NameOf(argument) is "--silos" or "--postgres" or TestSqliteSilos;

    private static bool IsLauncherOption(string argument) => NameOf(argument) is "--port" or "--internal-port" or "--data" or "--health-timeout";

    // A value never starts with "--" ("-1" is a (bad) number, reported as such).
    private static bool IsOptionName(string argument) => argument.StartsWith("--", StringComparison.Ordinal);
}

using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Grains.AppHost;

/// <summary>
/// The AppHost's own arguments (<c>dotnet run --project AppHost -- OPTIONS</c>). Every argument must
/// be one of its options; arguments after a second <c>--</c> go to every silo unchanged (silo
/// configuration such as <c>--Grains:Seed=false</c>).
/// </summary>
public sealed class AppHostCommandLine
{
    /// <summary>The most silos the AppHost starts.</summary>
    public const int MaxSilos = 32;

    /// <summary>Default first public HTTP port of the silos (taken ports are skipped).</summary>
    public const int DefaultPublicPort = 8000;

    /// <summary>Default seconds to wait for every silo's <c>/health</c> before the summary says which did not answer.</summary>
    public const int DefaultHealthTimeoutSeconds = 180;

    /// <summary>The usage text (<c>--help</c>).</summary>
    public const string Usage = """
        Usage: dotnet run --project AppHost [-- OPTIONS]

        Starts the Aspire dashboard and Grains. Without options: one silo on SQLite under ./data
        (http://127.0.0.1:8000), the embedded default.

        Options:
          --silos N             N silo processes forming one Orleans cluster (1-32); more than one needs --postgres
          --postgres            start PostgreSQL from this machine's binaries (data under DATA/pg) and store there
          --port P              first public HTTP port of the silos (default 8000; taken ports are skipped)
          --data DIR            data root (default ./data): DATA itself for one SQLite silo, else DATA/pg, DATA/silo1, ...
          --health-timeout S    seconds to wait for every silo's /health before naming those that did not answer (default 180)
          -- ARGS               everything after -- is passed to every silo

        Example: dotnet run --project AppHost -- --silos 3 --postgres
        """;

    private AppHostCommandLine(AppHostMode mode) => Mode = mode;

    /// <summary>What to do.</summary>
    public AppHostMode Mode { get; }

    /// <summary>How many silo processes.</summary>
    public int Silos { get; private init; } = 1;

    /// <summary>Whether the silos store on a PostgreSQL server the AppHost starts (else SQLite, one silo).</summary>
    public bool Postgres { get; private init; }

    /// <summary>The first public HTTP port.</summary>
    public int PublicPort { get; private init; } = DefaultPublicPort;

    /// <summary>The data root (relative to the working directory unless rooted).</summary>
    public string DataDirectory { get; private init; } = "data";

    /// <summary>How long to wait for every silo's <c>/health</c>.</summary>
    public TimeSpan HealthTimeout { get; private init; } = TimeSpan.FromSeconds(DefaultHealthTimeoutSeconds);

    /// <summary>The arguments given after <c>--</c>, passed to every silo.</summary>
    public IReadOnlyList<string> SiloArguments { get; private init; } = [];

    /// <summary>Parses <paramref name="args"/>; on failure <paramref name="error"/> says what is wrong, in one sentence.</summary>
    public static bool TryParse(IReadOnlyList<string> args, [NotNullWhen(true)] out AppHostCommandLine? commandLine, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(args);
        commandLine = null;
        error = null;
        var separator = IndexOf(args, "--");
        var own = separator < 0 ? args : args.Take(separator).ToList();
        if (own.Any(a => a is "--help" or "-h" or "-?"))
        {
            commandLine = new AppHostCommandLine(AppHostMode.Help);
            return true;
        }

        int? silos = null, publicPort = null, healthTimeout = null;
        string? data = null;
        var postgres = false;
        for (var i = 0; i < own.Count; i++)
        {
            var argument = own[i];
            if (!argument.StartsWith("--", StringComparison.Ordinal))
            {
                error = $"Unexpected argument '{argument}' (silo arguments go after --).";
                return false;
            }

            var equals = argument.IndexOf('=');
            var name = equals < 0 ? argument : argument[..equals];
            var inlineValue = equals < 0 ? null : argument[(equals + 1)..];
            if (name == "--postgres")
            {
                if (inlineValue is not null)
                {
                    error = "--postgres takes no value.";
                    return false;
                }

                if (postgres)
                {
                    error = "--postgres is given twice.";
                    return false;
                }

                postgres = true;
                continue;
            }

            if (name is not ("--silos" or "--port" or "--health-timeout" or "--data"))
            {
                error = $"Unknown option '{name}' (see --help; silo arguments go after --).";
                return false;
            }

            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (i + 1 < own.Count && !own[i + 1].StartsWith("--", StringComparison.Ordinal))
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
                continue;
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
                default: healthTimeout = number; break;
            }
        }

        if (silos > 1 && !postgres)
        {
            error = $"--silos {silos} needs --postgres: SQLite is single-silo (run without --silos for the embedded default).";
            return false;
        }

        commandLine = new AppHostCommandLine(AppHostMode.Run)
        {
            Silos = silos ?? 1,
            Postgres = postgres,
            PublicPort = publicPort ?? DefaultPublicPort,
            DataDirectory = data ?? "data",
            HealthTimeout = TimeSpan.FromSeconds(healthTimeout ?? DefaultHealthTimeoutSeconds),
            SiloArguments = separator < 0 ? [] : args.Skip(separator + 1).ToList(),
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
}

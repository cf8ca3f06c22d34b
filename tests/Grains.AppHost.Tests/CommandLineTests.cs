using Grains.AppHost;

namespace Grains.AppHost.Tests;

public sealed class CommandLineTests
{
    private static AppHostCommandLine Parse(string commandLine)
    {
        Assert.True(AppHostCommandLine.TryParse(Split(commandLine), out var parsed, out var error), error);
        return parsed;
    }

    private static string[] Split(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Theory]
    [InlineData("")]
    [InlineData("--urls http://127.0.0.1:9000")]
    [InlineData("--Grains:DataDirectory=elsewhere --Grains:Seed=false")]
    [InlineData("--urls=http://0.0.0.0:8000")]
    public void Without_launcher_options_every_argument_goes_to_the_silo_in_this_process(string commandLine)
    {
        var parsed = Parse(commandLine);
        Assert.Equal(AppHostMode.Silo, parsed.Mode);
        Assert.Equal(Split(commandLine), parsed.SiloArguments);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("--silos 3 --postgres --help")]
    public void Help(string commandLine) => Assert.Equal(AppHostMode.Help, Parse(commandLine).Mode);

    [Fact]
    public void Silos_with_postgres_and_the_defaults()
    {
        var parsed = Parse("--silos 3 --postgres");
        Assert.Equal(AppHostMode.Cluster, parsed.Mode);
        Assert.Equal(3, parsed.Silos);
        Assert.True(parsed.Postgres);
        Assert.False(parsed.TestSqliteSilosMode);
        Assert.Equal(8000, parsed.PublicPort);
        Assert.Equal(11111, parsed.InternalPort);
        Assert.Equal("data", parsed.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(180), parsed.HealthTimeout);
        Assert.Empty(parsed.SiloArguments);
    }

    [Fact]
    public void Every_option_in_both_spellings_and_silo_arguments_after_the_separator()
    {
        var parsed = Parse("--postgres --silos=2 --port 9000 --internal-port=12000 --data /tmp/grains --health-timeout=30 -- --Grains:StartDelivery=false --silos");
        Assert.Equal(2, parsed.Silos);
        Assert.Equal(9000, parsed.PublicPort);
        Assert.Equal(12000, parsed.InternalPort);
        Assert.Equal("/tmp/grains", parsed.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(30), parsed.HealthTimeout);
        Assert.Equal(["--Grains:StartDelivery=false", "--silos"], parsed.SiloArguments);
    }

    [Fact]
    public void Postgres_alone_is_one_silo_on_postgres()
    {
        var parsed = Parse("--postgres");
        Assert.Equal(AppHostMode.Cluster, parsed.Mode);
        Assert.Equal(1, parsed.Silos);
    }

    [Fact]
    public void The_internal_test_switch_runs_independent_sqlite_silos()
    {
        var parsed = Parse("--silos 2 --test-sqlite-silos");
        Assert.True(parsed.TestSqliteSilosMode);
        Assert.False(parsed.Postgres);
    }

    [Theory]
    [InlineData("--silos 3", "needs --postgres: SQLite is single-silo")]
    [InlineData("--silos=3", "needs --postgres: SQLite is single-silo")]
    [InlineData("--silos", "--silos needs a value")]
    [InlineData("--silos --postgres", "--silos needs a value")]
    [InlineData("--silos= --postgres", "--silos: '' is not a number")]
    [InlineData("--silos three --postgres", "--silos: 'three' is not a number")]
    [InlineData("--silos 2.5 --postgres", "--silos: '2.5' is not a number")]
    [InlineData("--silos 0 --postgres", "--silos must be between 1 and 32 (got 0)")]
    [InlineData("--silos -1 --postgres", "--silos must be between 1 and 32 (got -1)")]
    [InlineData("--silos 33 --postgres", "--silos must be between 1 and 32 (got 33)")]
    [InlineData("--silos 99999999999 --postgres", "is not a number")]
    [InlineData("--silos 3 --silos 2 --postgres", "--silos is given twice")]
    [InlineData("--silos 3 --postgres --postgres", "--postgres is given twice")]
    [InlineData("--silos 3 --postgres=yes", "--postgres takes no value")]
    [InlineData("--silos 3 --postgres --test-sqlite-silos", "exclude each other")]
    [InlineData("--test-sqlite-silos", "--test-sqlite-silos needs --silos N")]
    [InlineData("--silos 3 --postgres --bogus", "Unknown option '--bogus'")]
    [InlineData("--silos 3 --postgres -v", "Unknown option '-v'")]
    [InlineData("--silos 3 --postgres --urls=http://x", "Unknown option '--urls'")]
    [InlineData("--silos 3 --postgres extra", "Unexpected argument 'extra'")]
    [InlineData("--silos 3 --postgres --port", "--port needs a value")]
    [InlineData("--silos 3 --postgres --port 0", "--port must be between 1 and 65535 (got 0)")]
    [InlineData("--silos 3 --postgres --port 70000", "--port must be between 1 and 65535 (got 70000)")]
    [InlineData("--silos 3 --postgres --port 8000 --port 9000", "--port is given twice")]
    [InlineData("--silos 3 --postgres --internal-port x", "--internal-port: 'x' is not a number")]
    [InlineData("--silos 3 --postgres --health-timeout 0", "--health-timeout must be between 1 and 3600")]
    [InlineData("--silos 3 --postgres --data", "--data needs a value (a directory)")]
    [InlineData("--silos 3 --postgres --data=", "--data needs a directory")]
    [InlineData("--silos 3 --postgres --data a --data b", "--data is given twice")]
    [InlineData("--port 9000", "--port is an option of the local cluster: give --silos N --postgres too")]
    [InlineData("--data elsewhere", "--data is an option of the local cluster")]
    [InlineData("--health-timeout=5 --urls http://x", "--health-timeout is an option of the local cluster")]
    public void Malformed_command_lines_are_refused_with_a_clear_message(string commandLine, string expected)
    {
        Assert.False(AppHostCommandLine.TryParse(Split(commandLine), out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Launcher_options_after_the_separator_are_silo_arguments_not_errors()
    {
        var parsed = Parse("--silos 2 --postgres -- --port 1 --data x extra");
        Assert.Equal(["--port", "1", "--data", "x", "extra"], parsed.SiloArguments);
        Assert.Equal(8000, parsed.PublicPort);
    }
}

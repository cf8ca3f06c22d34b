namespace Grains.AppHost.Tests;

/// <summary>The AppHost's command line: the valid forms and a table of malformed ones, each refused with a clear message.</summary>
public sealed class CommandLineTests
{
    private static AppHostCommandLine Parse(string commandLine)
    {
        Assert.True(AppHostCommandLine.TryParse(Split(commandLine), out var parsed, out var error), error);
        return parsed;
    }

    private static string[] Split(string commandLine) => commandLine.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Without_options_it_is_the_embedded_default()
    {
        var parsed = Parse("");
        Assert.Equal(AppHostMode.Run, parsed.Mode);
        Assert.Equal(1, parsed.Silos);
        Assert.False(parsed.Postgres);
        Assert.Equal(8000, parsed.PublicPort);
        Assert.Equal("data", parsed.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(180), parsed.HealthTimeout);
        Assert.Empty(parsed.SiloArguments);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    [InlineData("--silos 3 --postgres --help")]
    [InlineData("--bogus --help")]
    public void Help(string commandLine) => Assert.Equal(AppHostMode.Help, Parse(commandLine).Mode);

    [Fact]
    public void Silos_with_postgres()
    {
        var parsed = Parse("--silos 3 --postgres");
        Assert.Equal(AppHostMode.Run, parsed.Mode);
        Assert.Equal(3, parsed.Silos);
        Assert.True(parsed.Postgres);
    }

    [Fact]
    public void Every_option_in_both_spellings_and_silo_arguments_after_the_separator()
    {
        var parsed = Parse("--postgres --silos=2 --port 9000 --data /tmp/grains --health-timeout=30 -- --Grains:StartDelivery=false --silos --help");
        Assert.Equal(2, parsed.Silos);
        Assert.Equal(9000, parsed.PublicPort);
        Assert.Equal("/tmp/grains", parsed.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(30), parsed.HealthTimeout);
        Assert.Equal(["--Grains:StartDelivery=false", "--silos", "--help"], parsed.SiloArguments);
        Assert.Equal(AppHostMode.Run, parsed.Mode);
    }

    [Theory]
    [InlineData("--postgres", 1)]
    [InlineData("--silos 1", 1)]
    [InlineData("--silos=1 --port 9000", 1)]
    public void One_silo_on_either_store(string commandLine, int silos) => Assert.Equal(silos, Parse(commandLine).Silos);

    [Theory]
    [InlineData("--silos 3", "needs --postgres: SQLite is single-silo")]
    [InlineData("--silos=2", "needs --postgres: SQLite is single-silo")]
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
    [InlineData("--silos 3 --postgres --bogus", "Unknown option '--bogus'")]
    [InlineData("--urls=http://x", "Unknown option '--urls'")]
    [InlineData("--Grains:Seed=false", "Unknown option '--Grains:Seed'")]
    [InlineData("-v", "Unexpected argument '-v'")]
    [InlineData("--silos 3 --postgres extra", "Unexpected argument 'extra'")]
    [InlineData("--port", "--port needs a value")]
    [InlineData("--port 0", "--port must be between 1 and 65535 (got 0)")]
    [InlineData("--port 70000", "--port must be between 1 and 65535 (got 70000)")]
    [InlineData("--port 8000 --port 9000", "--port is given twice")]
    [InlineData("--port x", "--port: 'x' is not a number")]
    [InlineData("--health-timeout 0", "--health-timeout must be between 1 and 3600")]
    [InlineData("--health-timeout 1 --health-timeout=2", "--health-timeout is given twice")]
    [InlineData("--data", "--data needs a value (a directory)")]
    [InlineData("--data=", "--data needs a directory")]
    [InlineData("--data a --data b", "--data is given twice")]
    public void Malformed_command_lines_are_refused_with_a_clear_message(string commandLine, string expected)
    {
        Assert.False(AppHostCommandLine.TryParse(Split(commandLine), out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_after_the_separator_are_silo_arguments_not_errors()
    {
        var parsed = Parse("--silos 2 --postgres -- --port 1 --data x extra");
        Assert.Equal(["--port", "1", "--data", "x", "extra"], parsed.SiloArguments);
        Assert.Equal(8000, parsed.PublicPort);
        Assert.Equal("data", parsed.DataDirectory);
    }
}

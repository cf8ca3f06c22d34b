using Grains.AppHost.Postgres;

namespace Grains.AppHost.Tests;

public sealed class PostgresBinariesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("grains-pgbin-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Install(string relativeDirectory, params string[] programs)
    {
        var directory = Path.Combine(_root, relativeDirectory);
        Directory.CreateDirectory(directory);
        foreach (var program in programs.Length == 0 ? ["initdb", "pg_ctl", "postgres"] : programs)
        {
            File.WriteAllText(Path.Combine(directory, program), "#!/bin/sh\n");
        }

        return directory;
    }

    private string Dir(string relative) => Directory.CreateDirectory(Path.Combine(_root, relative)).FullName;

    [Fact]
    public void A_link_on_the_path_is_followed_to_the_real_installation()
    {
        var real = Install("lib/postgresql/15/bin");
        var links = Dir("local/bin");
        File.CreateSymbolicLink(Path.Combine(links, "initdb"), Path.Combine(real, "initdb"));

        var found = PostgresBinaries.Find(links, []);

        Assert.NotNull(found);
        Assert.Equal(real, found.Directory);
        Assert.Equal(Path.Combine(real, "pg_ctl"), found.PgCtl);
        Assert.Equal(Path.Combine(real, "postgres"), found.Postgres);
        Assert.Equal(Path.Combine(real, "initdb"), found.InitDb);
    }

    [Fact]
    public void A_chain_of_links_is_followed_to_its_end()
    {
        var real = Install("opt/pg16/bin");
        var middle = Dir("middle");
        File.CreateSymbolicLink(Path.Combine(middle, "initdb"), Path.Combine(real, "initdb"));
        var links = Dir("links");
        File.CreateSymbolicLink(Path.Combine(links, "initdb"), Path.Combine(middle, "initdb"));

        Assert.Equal(real, PostgresBinaries.Find(links, [])?.Directory);
    }

    [Fact]
    public void A_complete_directory_on_the_path_is_used_as_it_is()
    {
        var bin = Install("usr/bin");
        Assert.Equal(bin, PostgresBinaries.Find(string.Join(Path.PathSeparator, Dir("empty"), bin), [Path.Combine(_root, "lib")])?.Directory);
    }

    [Fact]
    public void The_first_complete_path_entry_wins_over_the_install_roots()
    {
        var first = Install("a/bin");
        Install("b/bin");
        Install("lib/postgresql/17/bin");
        var path = string.Join(Path.PathSeparator, first, Path.Combine(_root, "b/bin"));
        Assert.Equal(first, PostgresBinaries.Find(path, [Path.Combine(_root, "lib/postgresql")])?.Directory);
    }

    [Fact]
    public void An_incomplete_path_entry_falls_through_to_the_highest_installed_version()
    {
        var partial = Install("client/bin", "initdb", "pg_ctl"); // no server program
        Install("lib/postgresql/9.6/bin");
        Install("lib/postgresql/15/bin");
        var newest = Install("lib/postgresql/16/bin");
        Install("lib/postgresql/17/bin", "initdb"); // incomplete: skipped
        Dir("lib/postgresql/18"); // no bin at all
        Dir("lib/postgresql/common");

        var found = PostgresBinaries.Find(partial, [Path.Combine(_root, "lib/postgresql")]);

        Assert.Equal(newest, found?.Directory);
    }

    [Fact]
    public void Versions_compare_as_numbers_not_text()
    {
        Install("lib/postgresql/9.6/bin");
        var ten = Install("lib/postgresql/10/bin");
        Assert.Equal(ten, PostgresBinaries.Find("", [Path.Combine(_root, "lib/postgresql")])?.Directory);
    }

    [Fact]
    public void Relative_and_empty_path_entries_and_missing_roots_are_ignored()
    {
        Install("rel/bin");
        var path = string.Join(Path.PathSeparator, "", "rel/bin", " ", ".");
        Assert.Null(PostgresBinaries.Find(path, [Path.Combine(_root, "missing")]));
        Assert.Null(PostgresBinaries.Find(null, []));
    }

    [Theory]
    [InlineData("15", 15, 0)]
    [InlineData("9.6", 9, 6)]
    [InlineData("16.2", 16, 2)]
    [InlineData("common", 0, 0)]
    [InlineData("15beta1", 0, 0)]
    [InlineData("", 0, 0)]
    public void Directory_names_as_versions(string name, int major, int minor)
    {
        var version = PostgresBinaries.ParseVersion(name);
        Assert.Equal((major, minor), (version.Major, version.Minor));
    }

    [Fact]
    public void The_not_found_message_says_where_it_looked_and_what_to_install()
    {
        Assert.Contains("/usr/lib/postgresql/*/bin", PostgresBinaries.NotFoundMessage, StringComparison.Ordinal);
        Assert.Contains("postgresql", PostgresBinaries.NotFoundMessage, StringComparison.Ordinal);
    }
}

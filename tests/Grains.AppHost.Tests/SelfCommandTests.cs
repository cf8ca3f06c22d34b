using Grains.AppHost.Cluster;

namespace Grains.AppHost.Tests;

public sealed class SelfCommandTests
{
    [Fact]
    public void The_apphost_executable_starts_itself() =>
        Assert.Equal(new SelfCommand("/app/AppHost", []), Normalize(SelfCommand.FromPaths("/app/AppHost", "/app/AppHost.dll")));

    [Theory]
    [InlineData("/usr/share/dotnet/dotnet")]
    [InlineData("/usr/bin/DOTNET")]
    [InlineData(@"C:\Program Files\dotnet\dotnet.exe")]
    public void Under_dotnet_the_entry_assembly_is_the_argument(string dotnet)
    {
        var command = SelfCommand.FromPaths(dotnet, "/app/AppHost.dll");
        Assert.Equal(dotnet, command.FileName);
        Assert.Equal(["/app/AppHost.dll"], command.Arguments);
    }

    [Fact]
    public void Without_a_process_path_dotnet_runs_the_entry_assembly()
    {
        var command = SelfCommand.FromPaths(null, "/app/AppHost.dll");
        Assert.Equal("dotnet", command.FileName);
        Assert.Equal(["/app/AppHost.dll"], command.Arguments);
    }

    private static SelfCommand Normalize(SelfCommand command) => command with { Arguments = [] };
}

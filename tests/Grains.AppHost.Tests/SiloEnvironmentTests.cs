using Grains.AppHost.Cluster;

namespace Grains.AppHost.Tests;

public sealed class SiloEnvironmentTests
{
    private static Dictionary<string, string?> Environment(SiloSettings settings) =>
        SiloProcess.Environment(settings).ToDictionary(e => e.Key, e => e.Value);

    [Fact]
    public void A_postgres_silo_gets_the_whole_configuration_contract()
    {
        var environment = Environment(new SiloSettings("silo2", "http://127.0.0.1:8001", 11112, "/d/silo2", "Host=127.0.0.1;Port=5;Username=grains;Database=grains", "grains_token", Seed: false));

        Assert.Equal("http://127.0.0.1:8001", environment["Grains__Url"]);
        Assert.Equal("/d/silo2", environment["Grains__DataDirectory"]);
        Assert.Equal("postgres", environment["Grains__Storage__Provider"]);
        Assert.Equal("Host=127.0.0.1;Port=5;Username=grains;Database=grains", environment["ConnectionStrings__grains"]);
        Assert.Equal("11112", environment["Orleans__Endpoints__SiloPort"]);
        Assert.Equal("0", environment["Orleans__Endpoints__GatewayPort"]);
        Assert.Equal("127.0.0.1", environment["Orleans__Endpoints__AdvertisedIPAddress"]);
        Assert.Equal("grains_token", environment["Grains__AdminToken"]);
        Assert.Equal("false", environment["Grains__Seed"]);
    }

    [Fact]
    public void Inherited_url_settings_that_would_override_the_silo_url_are_removed()
    {
        var environment = Environment(new SiloSettings("silo1", "http://127.0.0.1:8000", 11111, "/d/silo1", null, "t", Seed: true));

        Assert.Equal("sqlite", environment["Grains__Storage__Provider"]);
        Assert.Null(environment["ConnectionStrings__grains"]);
        Assert.Equal("true", environment["Grains__Seed"]);
        Assert.Contains("ASPNETCORE_URLS", environment.Keys);
        Assert.Null(environment["ASPNETCORE_URLS"]);
        Assert.Null(environment["ASPNETCORE_HTTP_PORTS"]);
    }

    [Fact]
    public void The_content_root_is_the_program_folder_so_the_server_settings_are_read()
    {
        var environment = Environment(new SiloSettings("silo1", "http://127.0.0.1:8000", 11111, "/d/silo1", null, "t", Seed: true));
        if (System.Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT") is null)
        {
            Assert.Equal(AppContext.BaseDirectory, environment["ASPNETCORE_CONTENTROOT"]);
        }
    }
}

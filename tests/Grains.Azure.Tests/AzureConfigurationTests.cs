using Grains.Server.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Grains.Azure.Tests;

/// <summary>
/// The Azure and Event Hubs settings are checked before the server is built, with errors that name
/// the setting to set and never quote a secret.
/// </summary>
public sealed class AzureConfigurationTests
{
    private const string StorageKey = "c2VjcmV0LWtleS1mb3ItdGVzdHM=";
    private const string WellFormedStorage = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={StorageKey};TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

    [Fact]
    public void Azure_without_an_account_names_the_connection_string_to_set() =>
        AssertBuildFails(new() { ["Grains:Storage:Provider"] = "azure" }, "ConnectionStrings:azure-storage", "Grains:Storage:Provider is 'azure'", "Grains:Storage:Azure:ServiceUri");

    [Fact]
    public void A_malformed_storage_connection_string_is_named_but_not_quoted()
    {
        var message = AssertBuildFails(
            new() { ["Grains:Storage:Provider"] = "Azure", ["ConnectionStrings:azure-storage"] = $"AccountKey={StorageKey};nonsense" },
            "ConnectionStrings:azure-storage is not a storage account connection string");
        Assert.DoesNotContain(StorageKey, message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_name_Azure_refuses_is_named() =>
        AssertBuildFails(
            new() { ["Grains:Storage:Provider"] = "azure", ["ConnectionStrings:azure-storage"] = WellFormedStorage, ["Grains:Storage:Azure:GrainStateTable"] = "grain-state" },
            "Grains:Storage:Azure:GrainStateTable must be 3 to 63 letters and digits", "'grain-state'");

    [Fact]
    public void Event_hubs_without_a_namespace_or_hub_names_both_settings() =>
        AssertBuildFails(
            new() { ["Grains:Streams:Provider"] = "eventhubs", ["ConnectionStrings:azure-storage"] = WellFormedStorage },
            "ConnectionStrings:eventhubs", "Grains:Streams:EventHubs:FullyQualifiedNamespace", "Grains:Streams:EventHubs:Hub");

    [Fact]
    public void Event_hubs_without_a_storage_account_for_checkpoints_names_it() =>
        AssertBuildFails(
            new() { ["Grains:Streams:Provider"] = "eventhubs", ["ConnectionStrings:eventhubs"] = EventHubsWiringTests.FakeNamespace, ["Grains:Streams:EventHubs:Hub"] = "ingest" },
            "ConnectionStrings:azure-storage", "checkpoints");

    [Fact]
    public void A_malformed_event_hubs_connection_string_is_named_but_not_quoted()
    {
        var message = AssertBuildFails(
            new() { ["Grains:Streams:Provider"] = "eventhubs", ["ConnectionStrings:azure-storage"] = WellFormedStorage, ["ConnectionStrings:eventhubs"] = "SharedAccessKey=hunter2hunter2", ["Grains:Streams:EventHubs:Hub"] = "ingest" },
            "ConnectionStrings:eventhubs is not an Event Hubs connection string");
        Assert.DoesNotContain("hunter2", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_providers_list_the_known_ones()
    {
        AssertBuildFails(new() { ["Grains:Storage:Provider"] = "cosmos" }, "'sqlite', 'postgres' or 'azure'");
        AssertBuildFails(new() { ["Grains:Streams:Provider"] = "kafka" }, "'log' or 'eventhubs'");
    }

    [Theory]
    [InlineData("azure", null, "sqlite")]
    [InlineData("azure", "Host=db;Database=grains", "postgres")]
    [InlineData("sqlite", "Host=db;Database=grains", "sqlite")]
    [InlineData("postgres", "Host=db;Database=grains", "postgres")]
    public void On_azure_the_relational_database_is_PostgreSQL_when_its_connection_string_is_set(string provider, string? grains, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:grains"] = grains }).Build();
        Assert.Equal(expected, StorageRegistration.RelationalDatabase(provider, configuration));
    }

    private static string AssertBuildFails(Dictionary<string, string?> settings, params string[] expected)
    {
        var data = AzureServer.TempDirectory();
        try
        {
            var exception = Assert.ThrowsAny<Exception>(() => AzureServer.Build(data, settings));
            Assert.True(exception is OptionsValidationException or InvalidOperationException, exception.ToString());
            foreach (var part in expected)
            {
                Assert.Contains(part, exception.Message, StringComparison.Ordinal);
            }

            return exception.Message;
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }
}

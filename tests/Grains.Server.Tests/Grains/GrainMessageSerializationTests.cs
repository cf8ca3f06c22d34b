using System.Reflection;
using Grains.Monitoring.Aggregates;
using Grains.Monitoring.Issues;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Serialization;

namespace Grains.Server.Tests.Grains;

/// <summary>
/// The monitoring grains' arguments, results and state survive Orleans serialization unchanged, and
/// every type and method that crosses silos or sits in storage carries a stable alias, so a rolling
/// upgrade (or a renamed class) still reads what the previous version wrote.
/// </summary>
public sealed class GrainMessageSerializationTests
{
    private static readonly DateTimeOffset When = new(2026, 11, 30, 12, 34, 56, 789, TimeSpan.Zero);

    private readonly Serializer _serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    public static TheoryData<object> Messages() => new()
    {
        Project(),
        Key(),
        Issue(),
        new ProjectUpdate(Name: "Renamed", FingerprintRules: "error.type:X -> x"),
        new IssueStatusUpdate("ignored", "archived_until_condition_met", "{\"ignoreCount\":5}"),
        new IssueStatusUpdate("resolved", null, null),
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Grain_messages_round_trip(object message) =>
        Assert.Equal(message, RoundTrip(message));

    [Fact]
    public void A_value_tuple_result_keeps_its_items() =>
        Assert.Equal((5_000_000_001L, 1L), RoundTrip((5_000_000_001L, 1L)));

    [Fact]
    public void Issue_state_round_trips_with_its_users_exact_and_as_a_sketch()
    {
        var state = new IssueState { Id = 7_000_000_001, ProjectId = 7, LastAppliedOffset = 42, Title = "TypeError", Hashes = ["a", "b"], StatusDetailsJson = "{\"inRelease\":\"1.2.3\"}", FirstSeen = When, LastSeen = When };
        state.Users.Add("user:1");
        var copy = RoundTrip(state);
        Assert.Equal((state.Id, state.ProjectId, state.LastAppliedOffset, state.Title, state.StatusDetailsJson, state.FirstSeen), (copy.Id, copy.ProjectId, copy.LastAppliedOffset, copy.Title, copy.StatusDetailsJson, copy.FirstSeen));
        Assert.Equal(state.Hashes, copy.Hashes);
        Assert.Equal(1, copy.Users.Count);

        for (var i = 0; i <= UserCounter.ExactLimit; i++)
        {
            state.Users.Add($"user:{i}");
        }

        Assert.Null(state.Users.Exact);
        Assert.Equal(state.Users.Count, RoundTrip(state).Users.Count);
    }

    [Fact]
    public void A_duplicate_slug_keeps_its_type_message_and_fields()
    {
        var copy = RoundTrip(new DuplicateSlugException("project", "web"));
        Assert.Equal("A project with the slug 'web' already exists.", copy.Message);
        Assert.Equal(("project", "web"), (copy.Kind, copy.Slug));
    }

    [Fact]
    public void Every_grain_interface_method_and_serialized_type_has_a_stable_alias()
    {
        var assembly = typeof(IIssueGrain).Assembly;
        var interfaces = assembly.GetTypes().Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t)).ToList();
        Assert.Contains(typeof(IIssueGrain), interfaces);
        Assert.Contains(typeof(IProjectGrain), interfaces);
        foreach (var grainInterface in interfaces)
        {
            Assert.True(grainInterface.GetCustomAttribute<AliasAttribute>() is not null, $"{grainInterface} has no [Alias]");
            foreach (var method in grainInterface.GetMethods())
            {
                Assert.True(method.GetCustomAttribute<AliasAttribute>() is not null, $"{grainInterface.Name}.{method.Name} has no [Alias]");
            }
        }

        foreach (var type in assembly.GetTypes().Where(t => t.GetCustomAttribute<GenerateSerializerAttribute>() is not null))
        {
            Assert.True(type.GetCustomAttribute<AliasAttribute>() is not null, $"{type} has no [Alias]");
        }
    }

    private T RoundTrip<T>(T value) => _serializer.Deserialize<T>(_serializer.SerializeToArray(value))!;

    private static ProjectRecord Project() => new()
    {
        Id = 7,
        OrganizationId = 1,
        Slug = "web",
        Name = "Web",
        Platform = "javascript",
        DateCreated = When,
        FingerprintRules = "error.type:TimeoutError -> timeouts",
    };

    private static ProjectKeyRecord Key() => new()
    {
        ProjectId = 7,
        Name = "Default",
        PublicKey = "0123456789abcdef0123456789abcdef",
        SecretKey = "fedcba9876543210fedcba9876543210",
        IsActive = false,
        DateCreated = When,
    };

    private static IssueRecord Issue() => new()
    {
        Id = 7_000_000_001,
        ProjectId = 7,
        GrainKey = "7:abc",
        ShortNumber = 1,
        Title = "TypeError: x is undefined",
        FirstSeen = When,
        LastSeen = When.AddMinutes(5),
        TimesSeen = 12,
        UserCount = 3,
        Status = "resolved",
        StatusDetailsJson = "{\"inRelease\":\"1.2.3\"}",
    };
}

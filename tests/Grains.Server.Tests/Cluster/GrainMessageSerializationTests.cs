using System.Reflection;
using System.Text.Json;
using Grains.Monitoring;
using Grains.Monitoring.Issues;
using Grains.Monitoring.Projects;
using Grains.Monitoring.Storage;
using Grains.Runtime;
using Grains.Runtime.Cluster;

namespace Grains.Server.Tests.Cluster;

/// <summary>The monitoring grains' arguments and results survive a trip between silos unchanged.</summary>
public sealed class GrainMessageSerializationTests
{
    private static readonly DateTimeOffset When = new(2026, 11, 30, 12, 34, 56, 789, TimeSpan.Zero);

    private readonly GrainCallCodec _codec = CreateCodec();

    public static TheoryData<string, object?[], object?> Calls() => new()
    {
        { nameof(IProjectGrain.GetAsync), [], Project() },
        { nameof(IProjectGrain.UpdateAsync), [new ProjectUpdate(Name: "Renamed", FingerprintRules: "error.type:X -> x")], Project() },
        { nameof(IProjectGrain.AllocateIssueAsync), [], (7_000_000_042L, 42L) },
        { nameof(IProjectGrain.CreateKeyAsync), ["Default"], Key() },
        { nameof(IProjectGrain.UpdateKeyAsync), ["0123456789abcdef0123456789abcdef", null, false], Key() },
        { nameof(IProjectGrain.DeleteKeyAsync), ["0123456789abcdef0123456789abcdef"], true },
        { nameof(IProjectGrain.DeleteAsync), [], null },
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public void Project_grain_calls_round_trip(string methodName, object?[] args, object? result) =>
        AssertRoundTrip(typeof(IProjectGrain), methodName, args, result);

    [Fact]
    public void Issue_grain_calls_round_trip()
    {
        var details = new Dictionary<string, object?> { ["inRelease"] = "1.2.3", ["ignoreCount"] = 5L };
        AssertRoundTrip(typeof(IIssueGrain), nameof(IIssueGrain.UpdateStatusAsync), [new IssueStatusUpdate("resolved", null, details)], Issue());
        AssertRoundTrip(typeof(IIssueGrain), nameof(IIssueGrain.GetAsync), [], Issue());
        AssertRoundTrip(typeof(IIssueGrain), nameof(IIssueGrain.GetAsync), [], null);
    }

    [Fact]
    public void A_value_tuple_result_keeps_its_items()
    {
        var method = typeof(IProjectGrain).GetMethod(nameof(IProjectGrain.AllocateIssueAsync))!;
        var answer = _codec.ReadAnswer(_codec.WriteResult(typeof((long, long)), (5_000_000_001L, 1L)), typeof((long, long)));
        Assert.Equal((5_000_000_001L, 1L), answer);
        Assert.NotNull(method);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"type\":\"project\",\"key\":\"1\"}")]
    [InlineData("{\"type\":\"project\",\"key\":\"1\",\"method\":\"Grains.Monitoring.Projects.IProjectGrain.Nope()\",\"args\":[]}")]
    [InlineData("{\"type\":\"project\",\"key\":\"1\",\"method\":\"Grains.Monitoring.Projects.IProjectGrain.CreateKeyAsync(System.String)\",\"args\":[]}")]
    [InlineData("{\"type\":\"project\",\"key\":\"1\",\"method\":\"Grains.Monitoring.Projects.IProjectGrain.CreateKeyAsync(System.String)\",\"args\":[{}]}")]
    [InlineData("{\"type\":5,\"key\":\"1\",\"method\":\"x\",\"args\":[]}")]
    public void Malformed_calls_are_rejected_with_a_reason(string body)
    {
        var error = Assert.Throws<FormatException>(() => _codec.ReadCall(System.Text.Encoding.UTF8.GetBytes(body)));
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void A_domain_exception_is_recreated_with_its_type_and_message()
    {
        var bytes = _codec.WriteError(new DuplicateSlugException("project", "web"));
        var error = Assert.Throws<DuplicateSlugException>(() => _codec.ReadAnswer(bytes, typeof(ProjectRecord)));
        Assert.Equal("A project with the slug 'web' already exists.", error.Message);
        Assert.Equal("web", error.Slug);

        var plain = Assert.Throws<InvalidOperationException>(() => _codec.ReadAnswer(_codec.WriteError(new InvalidOperationException("no")), null));
        Assert.Equal("no", plain.Message);

        var unknown = Assert.Throws<RemoteGrainException>(() => _codec.ReadAnswer(_codec.WriteError(new UnbuildableException(3)), null));
        Assert.Equal(typeof(UnbuildableException).FullName, unknown.RemoteType);
        Assert.Equal("code 3", unknown.Message);
    }

    private void AssertRoundTrip(Type grainInterface, string methodName, object?[] args, object? result)
    {
        var method = grainInterface.GetMethods().Single(m => m.Name == methodName);
        var id = new GrainId("test", "key/with:odd chars");
        var (readId, readMethod, readArgs) = _codec.ReadCall(_codec.WriteCall(id, method, args));
        Assert.Equal(id, readId);
        Assert.Equal(method, readMethod);
        Assert.Equal(Json(args), Json(readArgs));

        var resultType = ResultType(method);
        var answer = _codec.ReadAnswer(_codec.WriteResult(resultType, result), resultType);
        Assert.Equal(Json(resultType is null ? null : result), Json(answer));
    }

    private static Type? ResultType(MethodInfo method) =>
        method.ReturnType.IsGenericType ? method.ReturnType.GetGenericArguments()[0] : null;

    private static string Json(object? value) => JsonSerializer.Serialize(value, new JsonSerializerOptions { IncludeFields = true });

    private static GrainCallCodec CreateCodec()
    {
        var options = new ClusterTransportOptions();
        options.SerializerContexts.Add(MonitoringGrainJsonContext.Default);
        return new GrainCallCodec(new GrainMethodCatalog(), options);
    }

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

    private sealed class UnbuildableException(int code) : Exception($"code {code}");
}

using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Grains.AppHost.Tests.Support;

/// <summary>
/// The AppHost's app model built by its entry point and not started, with what the model tests read:
/// the silo resources and the environment the AppHost declares for each.
/// </summary>
internal sealed class AppModelUnderTest(IDistributedApplicationTestingBuilder builder, TestDataDirectory data, IDisposable environment) : IAsyncDisposable
{
    /// <summary>The silo resources, in order (silo1, silo2, ...).</summary>
    public IReadOnlyList<ProjectResource> Silos =>
        builder.Resources.OfType<ProjectResource>()
            .Where(r => r.Name.StartsWith("silo", StringComparison.Ordinal) && int.TryParse(r.Name.AsSpan(4), out _))
            .OrderBy(r => int.Parse(r.Name.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();

    /// <summary>
    /// The environment variables <paramref name="resource"/>'s callbacks declare, unresolved: plain values
    /// as strings, references as the model's objects (an endpoint's port is only known once DCP allocates it).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, object>> DeclaredEnvironmentAsync(IResource resource)
    {
        var context = new EnvironmentCallbackContext(builder.ExecutionContext, resource, new Dictionary<string, object>());
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables;
    }

    /// <summary>The string value of <paramref name="name"/>, failing the test when it is missing or not a plain value.</summary>
    public static string Text(IReadOnlyDictionary<string, object> environment, string name)
    {
        Assert.True(environment.TryGetValue(name, out var value), $"{name} is not set");
        return Assert.IsType<string>(value);
    }

    public async ValueTask DisposeAsync()
    {
        await builder.DisposeAsync();
        environment.Dispose();
        data.Dispose();
    }
}

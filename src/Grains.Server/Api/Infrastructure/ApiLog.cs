namespace Grains.Server.Api.Infrastructure;

/// <summary>The API's logger, category <c>Grains.Server.Api</c> (endpoint classes are static and cannot be a logger's type argument).</summary>
internal sealed class ApiLog(ILoggerFactory factory)
{
    public const string Category = "Grains.Server.Api";

    public ILogger Logger { get; } = factory.CreateLogger(Category);
}

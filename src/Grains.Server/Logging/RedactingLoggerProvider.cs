namespace Grains.Server.Logging;

/// <summary>Wraps a logger provider so that nothing it writes carries a credential or client data (<see cref="LogRedactor"/>).</summary>
public sealed class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
{
    /// <summary>The wrapped provider.</summary>
    public ILoggerProvider Inner { get; } = inner;

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(Inner.CreateLogger(categoryName));

    /// <inheritdoc />
    public void SetScopeProvider(IExternalScopeProvider scopeProvider)
    {
        if (Inner is ISupportExternalScope external)
        {
            external.SetScopeProvider(new RedactingScopeProvider(scopeProvider));
        }
    }

    /// <inheritdoc />
    public void Dispose() => Inner.Dispose();
}

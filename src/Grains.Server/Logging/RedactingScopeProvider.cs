namespace Grains.Server.Logging;

/// <summary>Hands a provider the scopes of the shared scope provider with their values redacted.</summary>
internal sealed class RedactingScopeProvider(IExternalScopeProvider inner) : IExternalScopeProvider
{
    public void ForEachScope<TState>(Action<object?, TState> callback, TState state) =>
        inner.ForEachScope((scope, s) => callback(RedactScope(scope), s), state);

    public IDisposable Push(object? state) => inner.Push(state);

    private static object? RedactScope(object? scope) => scope switch
    {
        null => null,
        IReadOnlyList<KeyValuePair<string, object?>> pairs => RedactedState.From(pairs, scope.ToString() ?? ""),
        _ => LogRedactor.RedactValue(scope),
    };
}

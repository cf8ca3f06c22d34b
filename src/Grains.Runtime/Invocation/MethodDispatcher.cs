using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Grains.Runtime.Activation;

namespace Grains.Runtime.Invocation;

/// <summary>
/// Everything the runtime needs to call one grain interface method: a compiled invoker (no
/// reflection per call), its interleaving flags, and the conversions between the method's awaitable
/// and the typed response a caller waits on. One instance per interface method, created on first use.
/// </summary>
internal abstract class MethodDispatcher
{
    private static readonly ConcurrentDictionary<MethodInfo, MethodDispatcher> Cache = new();

    private readonly Func<object, object?[], object> _invoker;

    protected MethodDispatcher(MethodInfo method, ReturnKind returnKind)
    {
        Method = method;
        ReturnKind = returnKind;
        Name = $"{method.DeclaringType!.Name}.{method.Name}";
        AlwaysInterleave = method.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: true);
        ReadOnly = method.IsDefined(typeof(ReadOnlyAttribute), inherit: true);
        _invoker = CompileInvoker(method);
    }

    public MethodInfo Method { get; }

    public ReturnKind ReturnKind { get; }

    /// <summary><c>Interface.Method</c>, for errors and traces.</summary>
    public string Name { get; }

    public bool AlwaysInterleave { get; }

    public bool ReadOnly { get; }

    public static MethodDispatcher For(MethodInfo method) => Cache.GetOrAdd(method, Create);

    public TurnKind TurnKindFor(bool reentrantClass) =>
        AlwaysInterleave || reentrantClass ? TurnKind.Interleave : ReadOnly ? TurnKind.ReadOnly : TurnKind.Exclusive;

    /// <summary>Calls the method on the grain; returns the (boxed) awaitable it returned.</summary>
    public object Invoke(object grain, object?[] args) => _invoker(grain, args);

    /// <summary>Whether the returned awaitable has completed (successfully or not) without converting it.</summary>
    public abstract bool IsCompleted(object awaitable);

    /// <summary>The returned awaitable as a task (allocates only for a pending ValueTask).</summary>
    public abstract Task ToTask(object awaitable);

    /// <summary>A fresh typed response for a call that does not complete inline.</summary>
    public abstract IResponse CreateResponse();

    /// <summary>An awaitable of the method's return type that fails with <paramref name="exception"/>.</summary>
    public abstract object FromException(Exception exception);

    /// <summary>The type of the value the method's awaitable yields; <c>null</c> for <c>Task</c>/<c>ValueTask</c>.</summary>
    public Type? ResultType => ReturnKind is ReturnKind.TaskOfT or ReturnKind.ValueTaskOfT ? Method.ReturnType.GetGenericArguments()[0] : null;

    /// <summary>The returned awaitable as a task of its boxed result (<c>null</c> for <c>Task</c>/<c>ValueTask</c>).</summary>
    public abstract Task<object?> ToObjectTask(object awaitable);

    /// <summary>An awaitable of the method's return type that completes as <paramref name="task"/> does (its result unboxed).</summary>
    public abstract object FromObjectTask(Task<object?> task);

    private static MethodDispatcher Create(MethodInfo method)
    {
        var type = method.ReturnType;
        (ReturnKind kind, Type result) = type switch
        {
            _ when type == typeof(Task) => (ReturnKind.Task, typeof(object)),
            _ when type == typeof(ValueTask) => (ReturnKind.ValueTask, typeof(object)),
            { IsGenericType: true } when type.GetGenericTypeDefinition() == typeof(Task<>) => (ReturnKind.TaskOfT, type.GetGenericArguments()[0]),
            { IsGenericType: true } when type.GetGenericTypeDefinition() == typeof(ValueTask<>) => (ReturnKind.ValueTaskOfT, type.GetGenericArguments()[0]),
            _ => throw new NotSupportedException(
                $"Grain method {method.DeclaringType?.FullName}.{method.Name} returns {type.Name}; grain methods must return Task, Task<T>, ValueTask or ValueTask<T>."),
        };

        var dispatcherType = typeof(MethodDispatcher<>).MakeGenericType(result);
        return (MethodDispatcher)Activator.CreateInstance(dispatcherType, method, kind)!;
    }

    private static Func<object, object?[], object> CompileInvoker(MethodInfo method)
    {
        var grain = Expression.Parameter(typeof(object), "grain");
        var args = Expression.Parameter(typeof(object?[]), "args");
        var parameters = method.GetParameters();
        var arguments = new Expression[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            arguments[i] = Expression.Convert(Expression.ArrayIndex(args, Expression.Constant(i)), parameters[i].ParameterType);
        }

        var call = Expression.Call(Expression.Convert(grain, method.DeclaringType!), method, arguments);
        var body = Expression.Convert(call, typeof(object));
        return Expression.Lambda<Func<object, object?[], object>>(body, grain, args).Compile();
    }
}

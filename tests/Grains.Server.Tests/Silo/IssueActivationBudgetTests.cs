using System.Reflection;
using Grains.Server.Silo;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using Orleans.Serialization.Invocation;

namespace Grains.Server.Tests.Silo;

public sealed class IssueActivationBudgetTests
{
    private const int Cap = SiloMemoryOptions.MinMaxIssueActivations;

    [Fact]
    public void Under_the_cap_nothing_is_deactivated()
    {
        var budget = Budget();
        var contexts = Activate(budget, Cap);
        Assert.Equal(0, budget.Trim());
        Assert.All(contexts, c => Assert.Null(c.DeactivatedFor));
        Assert.Equal(Cap, budget.Count);
    }

    [Fact]
    public async Task Over_the_cap_the_least_recently_used_go_first_down_to_nine_tenths()
    {
        var budget = Budget();
        var contexts = Activate(budget, Cap + 100);

        // The first 50 are used again after the rest: they are the most recently used now.
        await Task.Delay(20);
        foreach (var context in contexts.Take(50))
        {
            await budget.Invoke(new FakeCall(context));
        }

        var shed = budget.Trim();
        var target = Cap - (Cap / 10);
        Assert.Equal(Cap + 100 - target, shed);
        Assert.Equal(target, budget.Count);
        Assert.All(contexts.Take(50), c => Assert.Null(c.DeactivatedFor));
        Assert.Equal(shed, contexts.Skip(50).Count(c => c.DeactivatedFor == DeactivationReasonCode.HighMemoryPressure));
        Assert.Equal(0, budget.Trim());
    }

    [Fact]
    public async Task An_activation_running_a_call_is_never_deactivated()
    {
        var budget = Budget();
        var contexts = Activate(budget, Cap + 100);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = contexts.Take(200).Select(c => budget.Invoke(new FakeCall(c, gate.Task))).ToList();

        var shed = budget.Trim();
        Assert.Equal(Cap + 100 - (Cap - (Cap / 10)), shed);
        Assert.All(contexts.Take(200), c => Assert.Null(c.DeactivatedFor));

        gate.SetResult();
        await Task.WhenAll(running);
    }

    [Fact]
    public void Deactivated_activations_are_forgotten_and_untracked_ones_ignored()
    {
        var budget = Budget();
        var contexts = Activate(budget, 10);
        budget.OnDeactivating(contexts[0]);
        budget.OnDeactivated(contexts[1]);
        budget.OnAdded(new FakeContext(tracked: false));
        Assert.Equal(8, budget.Count);
    }

    [Fact]
    public async Task Calls_into_other_grains_pass_through_untracked()
    {
        var budget = Budget();
        var other = new FakeContext(tracked: false);
        var call = new FakeCall(other);
        await budget.Invoke(call);
        Assert.True(call.Invoked);
        Assert.Equal(0, budget.Count);
    }

    [Fact]
    public void With_the_cap_off_nothing_is_deactivated()
    {
        var budget = Budget(max: 0);
        var contexts = Activate(budget, Cap * 2);
        Assert.Equal(0, budget.Trim());
        Assert.All(contexts, c => Assert.Null(c.DeactivatedFor));
    }

    private static IssueActivationBudget Budget(int max = Cap) =>
        new(Options.Create(new SiloMemoryOptions { MaxIssueActivations = max }), static c => c is FakeContext { Tracked: true }, NullLogger<IssueActivationBudget>.Instance);

    private static List<FakeContext> Activate(IssueActivationBudget budget, int count)
    {
        var contexts = new List<FakeContext>(count);
        for (var i = 0; i < count; i++)
        {
            var context = new FakeContext(tracked: true);
            budget.OnAdded(context);
            contexts.Add(context);
        }

        return contexts;
    }

    private sealed class FakeContext(bool tracked) : IGrainContext, IActivationWorkingSetMember
    {
        public bool Tracked { get; } = tracked;

        public DeactivationReasonCode? DeactivatedFor { get; private set; }

        public GrainReference GrainReference => throw new NotSupportedException();

        public GrainId GrainId => throw new NotSupportedException();

        public object? GrainInstance => null;

        public ActivationId ActivationId => throw new NotSupportedException();

        public GrainAddress Address => throw new NotSupportedException();

        public IServiceProvider ActivationServices => throw new NotSupportedException();

        public IGrainLifecycle ObservableLifecycle => throw new NotSupportedException();

        public IWorkItemScheduler Scheduler => throw new NotSupportedException();

        public Task Deactivated => Task.CompletedTask;

        public void Deactivate(DeactivationReason deactivationReason, CancellationToken cancellationToken = default) => DeactivatedFor = deactivationReason.ReasonCode;

        public void Activate(Dictionary<string, object>? requestContext, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public void Migrate(Dictionary<string, object>? requestContext, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public void ReceiveMessage(object message) => throw new NotSupportedException();

        public void Rehydrate(IRehydrationContext context) => throw new NotSupportedException();

        public void SetComponent<TComponent>(TComponent? value)
            where TComponent : class => throw new NotSupportedException();

        public TComponent? GetComponent<TComponent>()
            where TComponent : class => null;

        public TTarget? GetTarget<TTarget>()
            where TTarget : class => null;

        public object? GetComponent(Type componentType) => null;

        public object? GetTarget() => null;

        public bool Equals(IGrainContext? other) => ReferenceEquals(this, other);

        public override bool Equals(object? obj) => ReferenceEquals(this, obj);

        public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

        public bool IsCandidateForRemoval(bool wouldRemove) => false;
    }

    private sealed class FakeCall(IGrainContext target, Task? work = null) : IIncomingGrainCallContext
    {
        public bool Invoked { get; private set; }

        public IGrainContext TargetContext => target;

        public MethodInfo ImplementationMethod => throw new NotSupportedException();

        public object Grain => throw new NotSupportedException();

        public MethodInfo InterfaceMethod => throw new NotSupportedException();

        public string InterfaceName => "IFake";

        public GrainInterfaceType InterfaceType => throw new NotSupportedException();

        public string MethodName => "Fake";

        public IInvokable Request => throw new NotSupportedException();

        public Response? Response { get; set; }

        public object? Result { get; set; }

        public GrainId? SourceId => null;

        public GrainId TargetId => throw new NotSupportedException();

        public async Task Invoke()
        {
            Invoked = true;
            if (work is not null)
            {
                await work;
            }
        }
    }
}

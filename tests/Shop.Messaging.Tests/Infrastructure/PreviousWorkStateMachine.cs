using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Messaging.Tests.Infrastructure;

/// <summary>
/// The release before <see cref="WorkStateMachine"/>, for the rolling-upgrade tests: its working state was called
/// <c>Running</c> (now <c>Active</c>). Same saga row, same queue.
/// </summary>
public sealed class PreviousWorkStateMachine : MassTransitStateMachine<WorkState>
{
    public PreviousWorkStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => Started, x => x.CorrelateById(m => m.Message.CorrelationId));
        Event(() => Added, x => x.CorrelateById(m => m.Message.CorrelationId).OnMissingInstance(m => m.Fault()));

        Initially(
            When(Started)
                .Then(x => x.Saga.StartedAt = DateTime.UtcNow)
                .TransitionTo(Running));

        During(Running,
            When(Added).Then(x => x.Saga.Additions++));

        DuringAny(Ignore(Started));
    }

    public State Running { get; private set; } = null!;

    public Event<StartWork> Started { get; private set; } = null!;
    public Event<AddToWork> Added { get; private set; } = null!;
}

public sealed class PreviousWorkStateDefinition : SagaDefinition<WorkState>
{
    public PreviousWorkStateDefinition()
    {
        EndpointName = "work-state";
        ConcurrentMessageLimit = 16;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpoint, ISagaConfigurator<WorkState> saga, IRegistrationContext context) =>
        endpoint.UseShopRetry(context, retry =>
        {
            retry.ImmediateRetries = 20;
            retry.Redeliveries = [TimeSpan.FromSeconds(1)];
        });
}

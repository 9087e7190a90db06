using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Messaging.Tests.Infrastructure;

/// <summary>A small saga for the repository and scheduling tests: counts additions, times out unless cancelled.</summary>
public sealed class WorkStateMachine : MassTransitStateMachine<WorkState>
{
    public WorkStateMachine()
    {
        InstanceState(x => x.CurrentState);
        Event(() => Started, x => x.CorrelateById(m => m.Message.CorrelationId));
        // An addition that overtakes its StartWork faults and is redelivered until the saga exists.
        Event(() => Added, x => x.CorrelateById(m => m.Message.CorrelationId).OnMissingInstance(m => m.Fault()));
        Event(() => Extended, x => x.CorrelateById(m => m.Message.CorrelationId));
        Event(() => Cancelled, x => x.CorrelateById(m => m.Message.CorrelationId));
        Schedule(() => Timeout, x => x.TimeoutTokenId, s => s.Received = r => r.CorrelateById(m => m.Message.CorrelationId));

        Initially(
            When(Started)
                .Then(x => x.Saga.StartedAt = DateTime.UtcNow)
                .Schedule(Timeout, x => new WorkTimedOut(x.Saga.CorrelationId), x => x.Message.Timeout)
                .TransitionTo(Active));

        During(Active,
            When(Added).Then(x => x.Saga.Additions++),
            When(Extended).Schedule(Timeout, x => new WorkTimedOut(x.Saga.CorrelationId), x => x.Message.Timeout),
            When(Cancelled).Unschedule(Timeout).TransitionTo(Stopped),
            When(Timeout.Received)
                .Then(x =>
                {
                    x.Saga.Timeouts++;
                    x.Saga.TimedOutAt = DateTime.UtcNow;
                })
                .TransitionTo(Expired));

        // A StartWork that lost the race to create the saga finds it started: nothing more to do.
        DuringAny(Ignore(Started));

        During(Expired, Stopped,
            When(Added).Then(x => x.Saga.Additions++),
            Ignore(Extended),
            Ignore(Cancelled),
            When(Timeout.Received).Then(x => x.Saga.Timeouts++));
    }

    public State Active { get; private set; } = null!;
    public State Expired { get; private set; } = null!;
    public State Stopped { get; private set; } = null!;

    public Event<StartWork> Started { get; private set; } = null!;
    public Event<AddToWork> Added { get; private set; } = null!;
    public Event<ExtendWork> Extended { get; private set; } = null!;
    public Event<CancelWork> Cancelled { get; private set; } = null!;
    public Schedule<WorkState, WorkTimedOut> Timeout { get; private set; } = null!;
}

public sealed class WorkStateDefinition : SagaDefinition<WorkState>
{
    public WorkStateDefinition()
    {
        EndpointName = "work-state";
        ConcurrentMessageLimit = 16;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpoint, ISagaConfigurator<WorkState> saga, IRegistrationContext context)
    {
        endpoint.UseShopRetry(context, retry =>
        {
            retry.ImmediateRetries = 20;
            retry.Redeliveries = [TimeSpan.FromSeconds(1)];
        });
        endpoint.UseShopOutbox(context);
    }
}

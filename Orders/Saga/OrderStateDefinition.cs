using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Messaging.Configuration;

namespace Shop.Orders.Saga;

/// <summary>The saga endpoint's policy: retry, one transaction per message (inbox + outbox), one message per order at a time.</summary>
public sealed class OrderStateDefinition : SagaDefinition<OrderState>
{
    public OrderStateDefinition()
    {
        Endpoint(endpoint => endpoint.Name = ServiceQueues.OrderSagaQueue);
        ConcurrentMessageLimit = 32;
    }

    protected override void ConfigureSaga(IReceiveEndpointConfigurator endpoint, ISagaConfigurator<OrderState> saga,
        IRegistrationContext context)
    {
        endpoint.UseShopRetry(context);
        endpoint.UseShopOutbox(context);

        // Two messages of one order never run at once here, so they never race for the same row in-process. The list is
        // the state machine's own: every message it declares, with its order id.
        var partitioner = endpoint.CreatePartitioner(ConcurrentMessageLimit ?? 32);
        foreach (var message in context.GetRequiredService<OrderStateMachine>().Messages)
            message.Partition(saga, partitioner);
    }
}

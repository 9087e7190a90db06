using MassTransit;
using MassTransit.Configuration;
using Shop.Contracts;
using Shop.Messaging.Configuration;

namespace Shop.Orders.Saga;

/// <summary>The saga endpoint's policy: retry, one transaction per message (inbox + outbox), one message per order at a time.</summary>
public sealed class OrderStateDefinition : SagaDefinition<OrderState>
{
    /// <summary>
    /// Every message the saga handles, each with its order id: two messages of one order never run at once here, so
    /// they never race for the same row in-process. A test checks this list against the state machine's events.
    /// </summary>
    public static readonly IReadOnlyList<PartitionKey> PartitionedMessages =
    [
        By<OrderSubmitted>(x => x.OrderId),
        By<OrderSubmittedV1>(x => x.OrderId),
        By<CancelOrder>(x => x.OrderId),
        By<StockReserved>(x => x.OrderId),
        By<StockReservationFailed>(x => x.OrderId),
        By<PaymentCaptured>(x => x.OrderId),
        By<PaymentDeclined>(x => x.OrderId),
        By<ShipmentCreated>(x => x.OrderId),
        By<ShipmentFailed>(x => x.OrderId),
        By<StockReleased>(x => x.OrderId),
        By<PaymentRefunded>(x => x.OrderId),
        By<ShipmentCancelled>(x => x.OrderId),
        By<StockReservationTimeoutExpired>(x => x.OrderId),
        By<PaymentTimeoutExpired>(x => x.OrderId),
        By<ShipmentTimeoutExpired>(x => x.OrderId),
        By<CompensationTimeoutExpired>(x => x.OrderId),
        By<Fault<ReserveStock>>(x => x.Message.OrderId),
        By<Fault<ChargePayment>>(x => x.Message.OrderId),
        By<Fault<CreateShipment>>(x => x.Message.OrderId),
        By<Fault<CommitStock>>(x => x.Message.OrderId),
        By<Fault<ReleaseStock>>(x => x.Message.OrderId),
        By<Fault<RefundPayment>>(x => x.Message.OrderId),
        By<Fault<CancelShipment>>(x => x.Message.OrderId),
    ];

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

        var partitioner = endpoint.CreatePartitioner(ConcurrentMessageLimit ?? 32);
        foreach (var message in PartitionedMessages)
            message.Apply(saga, partitioner);
    }

    static PartitionKey By<T>(Func<T, Guid> orderId)
        where T : class =>
        new(typeof(T), (saga, partitioner) => saga.Message<T>(message => message.UsePartitioner(partitioner, x => orderId(x.Message))));

    /// <summary>A message type and how to partition it by its order id.</summary>
    public sealed record PartitionKey(Type MessageType, Action<ISagaConfigurator<OrderState>, IPartitioner> Apply);
}

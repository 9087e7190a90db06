using MassTransit;
using Shop.Contracts;
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

        // Two messages of one order never run at once here, so they never race for the same row in-process.
        var partitioner = endpoint.CreatePartitioner(ConcurrentMessageLimit ?? 32);
        void ByOrder<T>(Func<T, Guid> orderId)
            where T : class =>
            saga.Message<T>(message => message.UsePartitioner(partitioner, x => orderId(x.Message)));

        ByOrder<OrderSubmitted>(x => x.OrderId);
        ByOrder<CancelOrder>(x => x.OrderId);
        ByOrder<StockReserved>(x => x.OrderId);
        ByOrder<StockReservationFailed>(x => x.OrderId);
        ByOrder<PaymentCaptured>(x => x.OrderId);
        ByOrder<PaymentDeclined>(x => x.OrderId);
        ByOrder<StockReservationTimeoutExpired>(x => x.OrderId);
        ByOrder<PaymentTimeoutExpired>(x => x.OrderId);
        ByOrder<ShipmentTimeoutExpired>(x => x.OrderId);
        ByOrder<CompensationTimeoutExpired>(x => x.OrderId);
        ByOrder<ShipmentCreated>(x => x.OrderId);
        ByOrder<ShipmentFailed>(x => x.OrderId);
        ByOrder<StockReleased>(x => x.OrderId);
        ByOrder<PaymentRefunded>(x => x.OrderId);
        ByOrder<ShipmentCancelled>(x => x.OrderId);
        ByOrder<Fault<ReserveStock>>(x => x.Message.OrderId);
        ByOrder<Fault<ChargePayment>>(x => x.Message.OrderId);
        ByOrder<Fault<CreateShipment>>(x => x.Message.OrderId);
        ByOrder<Fault<CommitStock>>(x => x.Message.OrderId);
        ByOrder<Fault<ReleaseStock>>(x => x.Message.OrderId);
        ByOrder<Fault<RefundPayment>>(x => x.Message.OrderId);
        ByOrder<Fault<CancelShipment>>(x => x.Message.OrderId);
    }
}

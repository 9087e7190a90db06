using MassTransit;
using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Messaging.Outbox;
using Shop.Orders.Domain;
using Shop.Orders.Timeline;

namespace Shop.Orders.Saga;

/// <summary>
/// Drives an order: reserve stock, charge payment, create the shipment, then Completed; any failure (or the customer)
/// cancels it, compensating every step already done in reverse order. Commands are sent to each service's queue and
/// each service replies with an event.
/// </summary>
public sealed class OrderStateMachine : MassTransitStateMachine<OrderState>
{
    public OrderStateMachine(IOptions<OrdersOptions> options, TimeProvider clock, OrderMetrics metrics)
    {
        InstanceState(x => x.CurrentState);

        // Every message handled, every message sent and every transition goes into the order's timeline.
        this.ConnectEventObserver(new OrderTimelineRecorder(clock));

        Event(() => OrderSubmitted, e => e.CorrelateById(m => m.Message.OrderId));

        // The API sends CancelOrder only for an order it stored, so a missing saga is one whose OrderSubmitted is still
        // on its way: faulting rolls the unit of work back and hands the message to the endpoint's durable redelivery,
        // which retries it a few seconds later. (OnMissingInstance Redeliver would instead complete this delivery — its
        // inbox row commits — and the redelivered copy, which keeps the MessageId, would be dropped as a duplicate.)
        Event(() => CancelOrder, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Fault()));

        // A reply for an order the saga does not know is a bug somewhere: fault, so it ends up visible in _error.
        Event(() => StockReservationSucceeded, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Fault()));
        Event(() => StockReservationFailed, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Fault()));
        Event(() => PaymentCaptured, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Fault()));
        Event(() => PaymentDeclined, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Fault()));
        Event(() => ShipmentCreated, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Fault()));
        Event(() => ShipmentFailed, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Fault()));

        // Compensations confirmed, and commands a service gave up on (in its _error queue until re-driven): recorded in
        // the timeline, nothing else to do.
        Event(() => StockReleased, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => PaymentRefunded, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ShipmentCancelled, e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ReserveStockFaulted, e => e.CorrelateById(m => m.Message.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ChargePaymentFaulted, e => e.CorrelateById(m => m.Message.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => CreateShipmentFaulted, e => e.CorrelateById(m => m.Message.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => CommitStockFaulted, e => e.CorrelateById(m => m.Message.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => ReleaseStockFaulted, e => e.CorrelateById(m => m.Message.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => RefundPaymentFaulted, e => e.CorrelateById(m => m.Message.Message.OrderId).OnMissingInstance(m => m.Discard()));
        Event(() => CancelShipmentFaulted, e => e.CorrelateById(m => m.Message.Message.OrderId).OnMissingInstance(m => m.Discard()));

        Schedule(() => PaymentTimeout, x => x.PaymentTimeoutTokenId, schedule =>
        {
            schedule.Delay = options.Value.PaymentTimeout;
            schedule.Received = e => e.CorrelateById(m => m.Message.OrderId).OnMissingInstance(m => m.Fault());
        });

        BeforeEnterAny(x => x.Then(context => context.Saga.UpdatedAt = clock.GetUtcNow()));

        // The end of an order is announced, and counted once the transaction commits (a retried attempt counts nothing).
        WhenEnter(Completed, x => x.Then(context =>
        {
            var duration = clock.GetUtcNow() - context.Saga.CreatedAt;
            context.RunAfterCommit(() => metrics.Completed(duration));
        }));
        WhenEnter(Cancelled, x => x
            .Publish(context => new OrderCancelled(context.Saga.CorrelationId, context.Saga.CustomerId,
                context.Saga.Email, context.Saga.CancellationReason!, clock.GetUtcNow()))
            .Then(context =>
            {
                var (reason, duration) = (context.Saga.CancellationReason!, clock.GetUtcNow() - context.Saga.CreatedAt);
                context.RunAfterCommit(() => metrics.Cancelled(reason, duration));
            }));

        Initially(
            When(OrderSubmitted)
                .Then(context => Accept(context.Saga, context.Message))
                .Send(ServiceQueues.ReserveStock, context => new ReserveStock(context.Saga.CorrelationId, StockLines(context.Saga)))
                .TransitionTo(Submitted));

        During(Submitted,
            When(StockReservationSucceeded)
                .Send(ServiceQueues.ChargePayment, context => new ChargePayment(context.Saga.CorrelationId, context.Saga.CustomerId,
                    context.Saga.Total, context.Saga.PaymentToken))
                .Schedule(PaymentTimeout, context => new PaymentTimeoutExpired(context.Saga.CorrelationId))
                .TransitionTo(StockReserved),
            When(StockReservationFailed)
                .Then(context => context.Saga.CancellationReason = CancellationReason.OutOfStock)
                .TransitionTo(Cancelled),
            When(CancelOrder)
                .Then(context => context.Saga.CancellationReason = CancellationReason.CustomerCancelled)
                // Inventory keeps a tombstone for a released order, so a reservation still in flight is refused.
                .Send(ServiceQueues.ReleaseStock, context => ReleaseStockFor(context.Saga))
                .TransitionTo(Cancelled));

        During(StockReserved,
            When(PaymentCaptured)
                .Unschedule(PaymentTimeout)
                .Then(context => context.Saga.PaymentId = context.Message.PaymentId)
                .Send(ServiceQueues.CreateShipment, context => new CreateShipment(context.Saga.CorrelationId, AddressOf(context.Saga),
                    StockLines(context.Saga)))
                .TransitionTo(Paid),
            When(PaymentDeclined)
                .Unschedule(PaymentTimeout)
                .Then(context => context.Saga.CancellationReason = CancellationReason.PaymentDeclined)
                .Send(ServiceQueues.ReleaseStock, context => ReleaseStockFor(context.Saga))
                .TransitionTo(Cancelled),
            When(PaymentTimeout.Received)
                .Then(context => context.Saga.CancellationReason = CancellationReason.PaymentTimeout)
                // Voids the charge if Payments is still working on it; refunds it if it was captured meanwhile.
                .Send(ServiceQueues.RefundPayment, context => RefundPaymentFor(context.Saga))
                .Send(ServiceQueues.ReleaseStock, context => ReleaseStockFor(context.Saga))
                .TransitionTo(Cancelled),
            When(CancelOrder)
                .Unschedule(PaymentTimeout)
                .Then(context => context.Saga.CancellationReason = CancellationReason.CustomerCancelled)
                .Send(ServiceQueues.RefundPayment, context => RefundPaymentFor(context.Saga))
                .Send(ServiceQueues.ReleaseStock, context => ReleaseStockFor(context.Saga))
                .TransitionTo(Cancelled),
            Ignore(StockReservationSucceeded),
            Ignore(StockReservationFailed));

        During(Paid,
            When(ShipmentCreated)
                .Then(context => context.Saga.TrackingNumber = context.Message.TrackingNumber)
                .Send(ServiceQueues.CommitStock, context => new CommitStock(context.Saga.CorrelationId))
                .Publish(context => new OrderCompleted(context.Saga.CorrelationId, context.Saga.CustomerId, context.Saga.Email,
                    context.Saga.Total, context.Message.TrackingNumber, clock.GetUtcNow()))
                .TransitionTo(Completed),
            When(ShipmentFailed)
                .Then(context => context.Saga.CancellationReason = CancellationReason.ShippingFailed)
                .Send(ServiceQueues.RefundPayment, context => RefundPaymentFor(context.Saga))
                .Send(ServiceQueues.ReleaseStock, context => ReleaseStockFor(context.Saga))
                .TransitionTo(Cancelled),
            When(CancelOrder)
                .Then(context => context.Saga.CancellationReason = CancellationReason.CustomerCancelled)
                .Send(ServiceQueues.CancelShipment, context => new CancelShipment(context.Saga.CorrelationId, context.Saga.CancellationReason!))
                .Send(ServiceQueues.RefundPayment, context => RefundPaymentFor(context.Saga))
                .Send(ServiceQueues.ReleaseStock, context => ReleaseStockFor(context.Saga))
                .TransitionTo(Cancelled),
            Ignore(StockReservationSucceeded),
            Ignore(StockReservationFailed),
            Ignore(PaymentCaptured),
            Ignore(PaymentDeclined),
            Ignore(PaymentTimeout.Received));

        During(Completed,
            Ignore(CancelOrder),
            Ignore(StockReservationSucceeded),
            Ignore(StockReservationFailed),
            Ignore(PaymentCaptured),
            Ignore(PaymentDeclined),
            Ignore(PaymentTimeout.Received),
            Ignore(ShipmentCreated),
            Ignore(ShipmentFailed));

        // Replies that raced the cancellation: whatever they did is undone again (each compensation is idempotent).
        During(Cancelled,
            When(PaymentCaptured)
                .Then(context => context.Saga.PaymentId = context.Message.PaymentId)
                .Send(ServiceQueues.RefundPayment, context => RefundPaymentFor(context.Saga)),
            When(StockReservationSucceeded)
                .Send(ServiceQueues.ReleaseStock, context => ReleaseStockFor(context.Saga)),
            When(ShipmentCreated)
                .Send(ServiceQueues.CancelShipment, context => new CancelShipment(context.Saga.CorrelationId, context.Saga.CancellationReason!)),
            Ignore(CancelOrder),
            Ignore(StockReservationFailed),
            Ignore(PaymentDeclined),
            Ignore(PaymentTimeout.Received),
            Ignore(ShipmentFailed));

        DuringAny(
            Ignore(OrderSubmitted),
            When(StockReleased).Then(OnlyRecorded),
            When(PaymentRefunded).Then(OnlyRecorded),
            When(ShipmentCancelled).Then(OnlyRecorded),
            When(ReserveStockFaulted).Then(OnlyRecorded),
            When(ChargePaymentFaulted).Then(OnlyRecorded),
            When(CreateShipmentFaulted).Then(OnlyRecorded),
            When(CommitStockFaulted).Then(OnlyRecorded),
            When(ReleaseStockFaulted).Then(OnlyRecorded),
            When(RefundPaymentFaulted).Then(OnlyRecorded),
            When(CancelShipmentFaulted).Then(OnlyRecorded));
    }

    public State Submitted { get; private set; } = null!;
    public State StockReserved { get; private set; } = null!;
    public State Paid { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<OrderSubmitted> OrderSubmitted { get; private set; } = null!;
    public Event<CancelOrder> CancelOrder { get; private set; } = null!;
    public Event<StockReserved> StockReservationSucceeded { get; private set; } = null!;
    public Event<StockReservationFailed> StockReservationFailed { get; private set; } = null!;
    public Event<PaymentCaptured> PaymentCaptured { get; private set; } = null!;
    public Event<PaymentDeclined> PaymentDeclined { get; private set; } = null!;
    public Event<ShipmentCreated> ShipmentCreated { get; private set; } = null!;
    public Event<ShipmentFailed> ShipmentFailed { get; private set; } = null!;
    public Event<StockReleased> StockReleased { get; private set; } = null!;
    public Event<PaymentRefunded> PaymentRefunded { get; private set; } = null!;
    public Event<ShipmentCancelled> ShipmentCancelled { get; private set; } = null!;
    public Event<Fault<ReserveStock>> ReserveStockFaulted { get; private set; } = null!;
    public Event<Fault<ChargePayment>> ChargePaymentFaulted { get; private set; } = null!;
    public Event<Fault<CreateShipment>> CreateShipmentFaulted { get; private set; } = null!;
    public Event<Fault<CommitStock>> CommitStockFaulted { get; private set; } = null!;
    public Event<Fault<ReleaseStock>> ReleaseStockFaulted { get; private set; } = null!;
    public Event<Fault<RefundPayment>> RefundPaymentFaulted { get; private set; } = null!;
    public Event<Fault<CancelShipment>> CancelShipmentFaulted { get; private set; } = null!;

    public Schedule<OrderState, PaymentTimeoutExpired> PaymentTimeout { get; private set; } = null!;

    /// <summary>The events the saga only takes note of, in any state (see the DuringAny block); diagrams leave them out.</summary>
    public IReadOnlyList<Event> OnlyRecordedEvents =>
    [
        StockReleased, PaymentRefunded, ShipmentCancelled, ReserveStockFaulted, ChargePaymentFaulted, CreateShipmentFaulted,
        CommitStockFaulted, ReleaseStockFaulted, RefundPaymentFaulted, CancelShipmentFaulted,
    ];

    static void Accept(OrderState order, OrderSubmitted submitted)
    {
        order.CustomerId = submitted.CustomerId;
        order.Email = submitted.Email;
        order.Total = submitted.Total;
        order.PaymentToken = submitted.PaymentToken;
        order.Lines = [.. submitted.Items];
        order.ShippingLine1 = submitted.ShippingAddress.Line1;
        order.ShippingCity = submitted.ShippingAddress.City;
        order.ShippingPostalCode = submitted.ShippingAddress.PostalCode;
        order.ShippingCountry = submitted.ShippingAddress.Country;
        order.CreatedAt = submitted.SubmittedAt;
    }

    /// <summary>
    /// An event the saga takes note of (the timeline records it) without acting on it. MassTransit binds an event to a
    /// state only through an activity, so this is that activity.
    /// </summary>
    static void OnlyRecorded(BehaviorContext<OrderState> context)
    {
    }

    static List<StockLine> StockLines(OrderState order) => [.. order.Lines.Select(x => new StockLine(x.Sku, x.Quantity))];

    static ShippingAddress AddressOf(OrderState order) =>
        new(order.ShippingLine1, order.ShippingCity, order.ShippingPostalCode, order.ShippingCountry);

    static ReleaseStock ReleaseStockFor(OrderState order) => new(order.CorrelationId, order.CancellationReason!);

    static RefundPayment RefundPaymentFor(OrderState order) => new(order.CorrelationId, order.CancellationReason!);
}

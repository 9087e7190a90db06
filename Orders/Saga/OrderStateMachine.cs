using System.Linq.Expressions;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Messaging.Outbox;
using Shop.Messaging.PaymentTokens;
using Shop.Orders.Domain;
using Shop.Orders.Timeline;

namespace Shop.Orders.Saga;

/// <summary>
/// Drives an order: reserve stock, charge payment, create the shipment, then Completed; any failure, a step that does
/// not answer by its deadline, or the customer cancels it: <c>Compensating</c> undoes every step already done, and the
/// order is <c>Cancelled</c> (and announced) only once every compensation sent has been confirmed. Commands are sent to
/// each service's queue and each service replies with an event.
/// </summary>
public sealed class OrderStateMachine : MassTransitStateMachine<OrderState>
{
    readonly List<OrderMessage> _messages = [];
    readonly List<Event> _confirmations = [];
    readonly List<Event> _gaveUpOn = [];
    readonly Dictionary<string, (TimeSpan After, Func<Guid, object> Timeout)> _deadlines = [];
    readonly TimeProvider _clock;

    public OrderStateMachine(IOptions<OrdersOptions> options, TimeProvider clock, OrderMetrics metrics, ILogger<OrderStateMachine> logger)
    {
        var deadlines = options.Value.Deadlines;
        _clock = clock;

        InstanceState(x => x.CurrentState);

        // Every message handled, every message sent and every transition goes into the order's timeline.
        this.ConnectEventObserver(new OrderTimelineRecorder(clock));

        // Every message the saga handles is declared once, below, with how it finds its order: the declarations build the
        // partitioner's list (Messages) and the set of events only taken note of (OnlyRecordedEvents) as they go.
        Starts(() => OrderSubmitted, m => m.OrderId);
        // Version 1 (with the payment token in it) is still taken while messages written before the upgrade drain.
        Starts(() => OrderSubmittedV1, m => m.OrderId);

        // The API sends CancelOrder only for an order it stored, so a missing saga is one whose OrderSubmitted is still
        // on its way: faulting rolls the unit of work back and hands the message to the endpoint's durable redelivery,
        // which retries it a few seconds later. (OnMissingInstance Redeliver would instead complete this delivery — its
        // inbox row commits — and the redelivered copy, which keeps the MessageId, would be dropped as a duplicate.)
        Expects(() => CancelOrder, m => m.OrderId);

        // A reply for an order the saga does not know is a bug somewhere: fault, so it ends up visible in _error.
        Expects(() => StockReserved, m => m.OrderId);
        Expects(() => StockReservationFailed, m => m.OrderId);
        Expects(() => PaymentCaptured, m => m.OrderId);
        Expects(() => PaymentDeclined, m => m.OrderId);
        Expects(() => ShipmentCreated, m => m.OrderId);
        Expects(() => ShipmentFailed, m => m.OrderId);

        // Compensations confirmed (they end Compensating; elsewhere only taken note of), and commands a service gave up on
        // (in its _error queue until re-driven; recorded in the timeline, the order keeps waiting for the re-driven
        // command's reply).
        Confirms(() => StockReleased, m => m.OrderId);
        Confirms(() => PaymentRefunded, m => m.OrderId);
        Confirms(() => ShipmentCancelled, m => m.OrderId);
        GaveUpOn(() => ReserveStockFaulted, m => m.OrderId);
        GaveUpOn(() => ChargePaymentFaulted, m => m.OrderId);
        GaveUpOn(() => CreateShipmentFaulted, m => m.OrderId);
        GaveUpOn(() => CommitStockFaulted, m => m.OrderId);
        GaveUpOn(() => ReleaseStockFaulted, m => m.OrderId);
        GaveUpOn(() => RefundPaymentFaulted, m => m.OrderId);
        GaveUpOn(() => CancelShipmentFaulted, m => m.OrderId);

        // A timeout arrives from the deadline poller (OrderDeadlinePoller) once its state's deadline has passed.
        Expects(() => StockReservationTimeout, m => m.OrderId);
        Expects(() => PaymentTimeout, m => m.OrderId);
        Expects(() => ShipmentTimeout, m => m.OrderId);
        Expects(() => CompensationTimeout, m => m.OrderId);

        // A deadline per waiting state, on the order's row: set on entering the state, cleared on leaving it (so an answer
        // withdraws it in the saga's own UPDATE); when it passes, the poller sends the state's timeout.
        Deadline(Submitted, deadlines.StockReservation, orderId => new StockReservationTimeoutExpired(orderId));
        Deadline(Reserved, options.Value.PaymentTimeout, orderId => new PaymentTimeoutExpired(orderId));
        Deadline(Paid, deadlines.Shipment, orderId => new ShipmentTimeoutExpired(orderId));
        Deadline(Compensating, deadlines.Compensation, orderId => new CompensationTimeoutExpired(orderId));

        BeforeEnterAny(x => x.Then(context =>
        {
            context.Saga.UpdatedAt = clock.GetUtcNow();
            context.Saga.DeadlineAt = null;
        }));

        // The end of an order is announced, and counted once the transaction commits (a retried attempt counts nothing).
        WhenEnter(Completed, x => x.Then(context =>
        {
            var duration = clock.GetUtcNow() - context.Saga.CreatedAt;
            context.RunAfterCommit(() => metrics.Completed(duration));
        }));
        // Entered only once nothing is held any more: every compensation sent has been confirmed (or none was needed).
        WhenEnter(Cancelled, x => x
            .Then(context => context.Saga.PaymentToken = null)
            .Publish(context => new OrderCancelled(context.Saga.CorrelationId, context.Saga.CustomerId,
                context.Saga.Email, context.Saga.CancellationReason!, clock.GetUtcNow()))
            .Then(context =>
            {
                var (reason, duration) = (context.Saga.CancellationReason!, clock.GetUtcNow() - context.Saga.CreatedAt);
                context.RunAfterCommit(() => metrics.Cancelled(reason, duration));
            }));

        // The payment token is needed for ChargePayment alone: once the charge is decided, or the order ends before one, the
        // saga row forgets it.
        WhenLeave(Reserved, x => x.Then(context => context.Saga.PaymentToken = null));
        WhenEnter(Compensating, x => x.Then(context => context.Saga.PaymentToken = null));

        Initially(
            When(OrderSubmitted)
                .Then(context => Accept(context.Saga, context.Message.CustomerId, context.Message.Email,
                    context.Message.Items, context.Message.Total, context.Message.ShippingAddress, context.Message.SubmittedAt))
                // Not in the event: the API left it on the order row, and the saga takes it from there in this transaction.
                .ThenAsync(async context => context.Saga.PaymentToken = SealedToken(context, await context.GetPayload<IServiceScope>()
                    .ServiceProvider.GetRequiredService<IPaymentTokenSource>().TakeAsync(context.Saga.CorrelationId, context.CancellationToken)))
                .Send(ServiceQueues.ReserveStock, context => new ReserveStock(context.Saga.CorrelationId, StockLines(context.Saga)))
                .TransitionTo(Submitted),
            When(OrderSubmittedV1)
                .Then(context => Accept(context.Saga, context.Message.CustomerId, context.Message.Email,
                    context.Message.Items, context.Message.Total, context.Message.ShippingAddress, context.Message.SubmittedAt))
                .Then(context => context.Saga.PaymentToken = SealedToken(context, context.Message.PaymentToken))
                .Send(ServiceQueues.ReserveStock, context => new ReserveStock(context.Saga.CorrelationId, StockLines(context.Saga)))
                .TransitionTo(Submitted));

        During(Submitted,
            When(StockReserved)
                .Send(ServiceQueues.ChargePayment, context => new ChargePayment(context.Saga.CorrelationId, context.Saga.CustomerId,
                    context.Saga.Total, context.Saga.PaymentToken ?? ""))
                .TransitionTo(Reserved),
            When(StockReservationFailed)
                .CancelBecause(CancellationReason.OutOfStock)
                .TransitionTo(Cancelled),
            When(CancelOrder)
                .CancelBecause(CancellationReason.CustomerCancelled)
                // Inventory keeps a tombstone for a released order, so a reservation still in flight is refused.
                .ReleaseStock()
                .Compensate(this),
            When(StockReservationTimeout)
                .CancelBecause(CancellationReason.StockTimeout)
                .ReleaseStock()
                .Compensate(this),
            Ignore(PaymentTimeout),
            Ignore(ShipmentTimeout));

        During(Reserved,
            When(PaymentCaptured)
                .Then(context => context.Saga.PaymentId = context.Message.PaymentId)
                .IfElse(context => context.Message.Amount == context.Saga.Total,
                    paid => paid
                        .Send(ServiceQueues.CreateShipment, context => new CreateShipment(context.Saga.CorrelationId, AddressOf(context.Saga),
                            StockLines(context.Saga)))
                        .TransitionTo(Paid),
                    mismatch => mismatch
                        .Then(context => logger.LogError("Payment {PaymentId} of order {OrderId} captured {Amount}, not the order's total {Total}; refunding it",
                            context.Message.PaymentId, context.Saga.CorrelationId, context.Message.Amount, context.Saga.Total))
                        .CancelBecause(CancellationReason.PaymentAmountMismatch)
                        .RefundPayment()
                        .ReleaseStock()
                        .Compensate(this)),
            When(PaymentDeclined)
                .CancelBecause(CancellationReason.PaymentDeclined)
                .ReleaseStock()
                .Compensate(this),
            When(PaymentTimeout)
                .CancelBecause(CancellationReason.PaymentTimeout)
                // Voids the charge if Payments is still working on it; refunds it if it was captured meanwhile.
                .RefundPayment()
                .ReleaseStock()
                .Compensate(this),
            When(CancelOrder)
                .CancelBecause(CancellationReason.CustomerCancelled)
                .RefundPayment()
                .ReleaseStock()
                .Compensate(this),
            Ignore(StockReserved),
            Ignore(StockReservationFailed),
            Ignore(StockReservationTimeout),
            Ignore(ShipmentTimeout));

        During(Paid,
            When(ShipmentCreated)
                .Then(context => context.Saga.TrackingNumber = context.Message.TrackingNumber)
                .Send(ServiceQueues.CommitStock, context => new CommitStock(context.Saga.CorrelationId))
                .Publish(context => new OrderCompleted(context.Saga.CorrelationId, context.Saga.CustomerId, context.Saga.Email,
                    context.Saga.Total, context.Message.TrackingNumber, clock.GetUtcNow()))
                .TransitionTo(Completed),
            When(ShipmentFailed)
                .CancelBecause(CancellationReason.ShippingFailed)
                .RefundPayment()
                .ReleaseStock()
                .Compensate(this),
            When(CancelOrder)
                .CancelBecause(CancellationReason.CustomerCancelled)
                .CancelShipment()
                .RefundPayment()
                .ReleaseStock()
                .Compensate(this),
            When(ShipmentTimeout)
                .CancelBecause(CancellationReason.ShipmentTimeout)
                // Shipping keeps a tombstone for a cancelled order, so a CreateShipment still queued is refused.
                .CancelShipment()
                .RefundPayment()
                .ReleaseStock()
                .Compensate(this),
            Ignore(StockReserved),
            Ignore(StockReservationFailed),
            Ignore(StockReservationTimeout),
            Ignore(PaymentCaptured),
            Ignore(PaymentDeclined),
            Ignore(PaymentTimeout));

        // Waits for the confirmation of every compensation sent; the last one ends the order. A compensation in _error
        // keeps it here until it is re-driven and confirmed; past the deadline the order is escalated and keeps waiting.
        During(Compensating,
            When(StockReleased)
                .Then(context => context.Saga.PendingStockReleases = Math.Max(0, context.Saga.PendingStockReleases - 1))
                .CancelledOnceAllConfirmed(this),
            When(PaymentRefunded)
                // A void confirms nothing about a capture the saga has seen: only that capture's refund does.
                .If(context => context.Saga.PaymentId is not { } captured || context.Message.PaymentId == captured,
                    refunded => refunded.Then(context => context.Saga.PendingRefunds = 0))
                .CancelledOnceAllConfirmed(this),
            When(ShipmentCancelled)
                .Then(context => context.Saga.PendingShipmentCancels = Math.Max(0, context.Saga.PendingShipmentCancels - 1))
                .CancelledOnceAllConfirmed(this),
            // Replies that raced the cancellation: undone too, and waited for like the others.
            When(PaymentCaptured)
                .Then(context => context.Saga.PaymentId = context.Message.PaymentId)
                .RefundPayment(),
            When(StockReserved)
                .ReleaseStock(),
            When(ShipmentCreated)
                .CancelShipment(),
            When(CompensationTimeout)
                .Then(context =>
                {
                    var order = context.Saga;
                    order.EscalatedAt ??= clock.GetUtcNow();
                    logger.LogError(
                        "Order {OrderId} ({Reason}) has waited {Waited} for its compensations: {StockReleases} stock release(s), {Refunds} refund(s), " +
                        "{ShipmentCancels} shipment cancellation(s) unconfirmed; look for them in the _error queues (shop-admin errors list --order {OrderId})",
                        order.CorrelationId, order.CancellationReason, clock.GetUtcNow() - order.UpdatedAt, order.PendingStockReleases,
                        order.PendingRefunds, order.PendingShipmentCancels, order.CorrelationId);
                    context.RunAfterCommit(metrics.CompensationOverdue);
                })
                // Never dropped: the escalation repeats every period until the order is Cancelled.
                .Then(context => context.Saga.DeadlineAt = clock.GetUtcNow() + deadlines.Compensation),
            Ignore(CancelOrder),
            Ignore(StockReservationFailed),
            Ignore(PaymentDeclined),
            Ignore(ShipmentFailed),
            Ignore(StockReservationTimeout),
            Ignore(PaymentTimeout),
            Ignore(ShipmentTimeout));

        During(Completed,
            Ignore(CancelOrder),
            Ignore(StockReserved),
            Ignore(StockReservationFailed),
            Ignore(PaymentCaptured),
            Ignore(PaymentDeclined),
            Ignore(ShipmentCreated),
            Ignore(ShipmentFailed),
            Ignore(StockReservationTimeout),
            Ignore(PaymentTimeout),
            Ignore(ShipmentTimeout),
            Ignore(CompensationTimeout));

        // Replies that raced a cancellation already confirmed: whatever they did is undone again (each compensation is
        // idempotent, and its confirmation is only recorded).
        During(Cancelled,
            When(PaymentCaptured)
                .Then(context => context.Saga.PaymentId = context.Message.PaymentId)
                .Send(ServiceQueues.RefundPayment, context => RefundPaymentFor(context.Saga)),
            When(StockReserved)
                .Send(ServiceQueues.ReleaseStock, context => ReleaseStockFor(context.Saga)),
            When(ShipmentCreated)
                .Send(ServiceQueues.CancelShipment, context => CancelShipmentFor(context.Saga)),
            Ignore(CancelOrder),
            Ignore(StockReservationFailed),
            Ignore(PaymentDeclined),
            Ignore(ShipmentFailed),
            Ignore(StockReservationTimeout),
            Ignore(PaymentTimeout),
            Ignore(ShipmentTimeout),
            Ignore(CompensationTimeout));

        // Confirmations outside Compensating (a late compensation's, in Cancelled) are only taken note of; so are the
        // commands a service gave up on, in every state.
        During(new[] { Submitted, Reserved, Paid, Completed, Cancelled }, [.. _confirmations.Select(OnlyRecorded)]);
        DuringAny([Ignore(OrderSubmitted), Ignore(OrderSubmittedV1), .. _gaveUpOn.Select(OnlyRecorded)]);
    }

    public State Submitted { get; private set; } = null!;
    public State Reserved { get; private set; } = null!;
    public State Paid { get; private set; } = null!;
    public State Compensating { get; private set; } = null!;
    public State Completed { get; private set; } = null!;
    public State Cancelled { get; private set; } = null!;

    public Event<OrderSubmitted> OrderSubmitted { get; private set; } = null!;
    public Event<OrderSubmittedV1> OrderSubmittedV1 { get; private set; } = null!;
    public Event<CancelOrder> CancelOrder { get; private set; } = null!;
    public Event<StockReserved> StockReserved { get; private set; } = null!;
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

    public Event<StockReservationTimeoutExpired> StockReservationTimeout { get; private set; } = null!;
    public Event<PaymentTimeoutExpired> PaymentTimeout { get; private set; } = null!;
    public Event<ShipmentTimeoutExpired> ShipmentTimeout { get; private set; } = null!;
    public Event<CompensationTimeoutExpired> CompensationTimeout { get; private set; } = null!;

    /// <summary>Every message the saga handles, each with its order id (the endpoint partitions them by it).</summary>
    public IReadOnlyList<OrderMessage> Messages => _messages;

    /// <summary>
    /// The events the saga only takes note of where they do not move the order (the faults in every state, the
    /// confirmations outside Compensating); diagrams draw no loops for them.
    /// </summary>
    public IReadOnlyList<Event> OnlyRecordedEvents => [.. _confirmations, .. _gaveUpOn];

    /// <summary>An event that starts an order (and is ignored once it exists).</summary>
    void Starts<T>(Expression<Func<Event<T>>> property, Func<T, Guid> orderId)
        where T : class =>
        Declare(property, orderId, whenMissing: null);

    /// <summary>A command for, or a reply about, an order the saga must already know: for any other it faults.</summary>
    void Expects<T>(Expression<Func<Event<T>>> property, Func<T, Guid> orderId)
        where T : class =>
        Declare(property, orderId, missing => missing.Fault());

    /// <summary>The confirmation of a compensation; one for an order long gone is dropped.</summary>
    void Confirms<T>(Expression<Func<Event<T>>> property, Func<T, Guid> orderId)
        where T : class =>
        _confirmations.Add(Declare(property, orderId, missing => missing.Discard()));

    /// <summary>The fault of a command the saga sent, published when the service gave up on it.</summary>
    void GaveUpOn<T>(Expression<Func<Event<Fault<T>>>> property, Func<T, Guid> orderId)
        where T : class =>
        _gaveUpOn.Add(Declare(property, fault => orderId(fault.Message), missing => missing.Discard()));

    Event<T> Declare<T>(Expression<Func<Event<T>>> property, Func<T, Guid> orderId,
        Func<IMissingInstanceConfigurator<OrderState, T>, IPipe<ConsumeContext<T>>>? whenMissing)
        where T : class
    {
        Event(property, e =>
        {
            e.CorrelateById(m => orderId(m.Message));
            if (whenMissing is not null)
                e.OnMissingInstance(whenMissing);
        });
        _messages.Add(OrderMessage.Of(orderId));
        return property.Compile()();
    }

    /// <summary>
    /// How long an order waits in its current state (from <see cref="OrderState.UpdatedAt"/>, when it entered it), and the
    /// timeout that ends the wait; null outside a waiting state.
    /// </summary>
    public (TimeSpan After, object Timeout)? DeadlineOf(OrderState order) =>
        _deadlines.TryGetValue(order.CurrentState, out var deadline) ? (deadline.After, deadline.Timeout(order.CorrelationId)) : null;

    /// <summary>The deadline of a waiting state: <paramref name="after"/> from entering it, ended by <paramref name="timeout"/>.</summary>
    void Deadline(State state, TimeSpan after, Func<Guid, object> timeout)
    {
        _deadlines[state.Name] = (after, timeout);
        WhenEnter(state, x => x.Then(context => context.Saga.DeadlineAt = _clock.GetUtcNow() + after));
    }

    /// <summary>
    /// The upcast of a token from before sealing, in one place: a version 1 event, or an order row written before the
    /// upgrade, holds it in clear; it is sealed here, so the saga row and ChargePayment hold ciphertext only.
    /// </summary>
    static string? SealedToken(BehaviorContext<OrderState> context, string? token) =>
        token is null || SealedPaymentToken.IsSealed(token)
            ? token
            : context.GetPayload<IServiceScope>().ServiceProvider.GetRequiredService<PaymentTokenSealer>().Seal(token, context.Saga.CorrelationId);

    static void Accept(OrderState order, string customerId, string email, IReadOnlyList<OrderLine> items, decimal total,
        ShippingAddress address, DateTimeOffset submittedAt)
    {
        order.CustomerId = customerId;
        order.Email = email;
        order.Total = total;
        order.Lines = [.. items];
        order.ShippingLine1 = address.Line1;
        order.ShippingCity = address.City;
        order.ShippingPostalCode = address.PostalCode;
        order.ShippingCountry = address.Country;
        order.CreatedAt = submittedAt;
    }

    /// <summary>
    /// An event the saga takes note of (the timeline records it) without acting on it. MassTransit binds an event to a
    /// state only through an activity, so this is an empty one.
    /// </summary>
    EventActivities<OrderState> OnlyRecorded(Event @event) => When(@event).Then(_ => { });

    static List<StockLine> StockLines(OrderState order) => [.. order.Lines.Select(x => new StockLine(x.Sku, x.Quantity))];

    static ShippingAddress AddressOf(OrderState order) =>
        new(order.ShippingLine1, order.ShippingCity, order.ShippingPostalCode, order.ShippingCountry);

    internal static ReleaseStock ReleaseStockFor(OrderState order) => new(order.CorrelationId, order.CancellationReason!);

    internal static RefundPayment RefundPaymentFor(OrderState order) => new(order.CorrelationId, order.CancellationReason!);

    internal static CancelShipment CancelShipmentFor(OrderState order) => new(order.CorrelationId, order.CancellationReason!);
}

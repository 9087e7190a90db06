using MassTransit;
using Shop.Contracts;

namespace Shop.Orders.Saga;

/// <summary>
/// The steps the order saga repeats on its way out: the cancellation reason, each compensation (sent and counted as
/// pending until its confirmation arrives), and the move to Compensating and from there to Cancelled.
/// </summary>
static class OrderSagaSteps
{
    /// <summary>Why the order is being cancelled; set on the way into Compensating (or straight into Cancelled).</summary>
    public static EventActivityBinder<OrderState, T> CancelBecause<T>(this EventActivityBinder<OrderState, T> binder, string reason)
        where T : class =>
        binder.Then(context => context.Saga.CancellationReason = reason);

    /// <summary>ReleaseStock, awaited as a StockReleased.</summary>
    public static EventActivityBinder<OrderState, T> ReleaseStock<T>(this EventActivityBinder<OrderState, T> binder)
        where T : class =>
        binder
            .Then(context => context.Saga.PendingStockReleases++)
            .Send(ServiceQueues.ReleaseStock, context => OrderStateMachine.ReleaseStockFor(context.Saga));

    /// <summary>
    /// RefundPayment (a refund of the capture, or a void of a charge still pending), awaited as a PaymentRefunded. One
    /// order has one charge, so one confirmation settles it however often it was asked for: Payments answers a
    /// PaymentRefunded only once the provider holds nothing of the order (and can take nothing more), and answers a
    /// request that arrives while that is still under way with the one confirmation, not one each. Counted as one.
    /// </summary>
    public static EventActivityBinder<OrderState, T> RefundPayment<T>(this EventActivityBinder<OrderState, T> binder)
        where T : class =>
        binder
            .Then(context => context.Saga.PendingRefunds = 1)
            .Send(ServiceQueues.RefundPayment, context => OrderStateMachine.RefundPaymentFor(context.Saga));

    /// <summary>CancelShipment, awaited as a ShipmentCancelled.</summary>
    public static EventActivityBinder<OrderState, T> CancelShipment<T>(this EventActivityBinder<OrderState, T> binder)
        where T : class =>
        binder
            .Then(context => context.Saga.PendingShipmentCancels++)
            .Send(ServiceQueues.CancelShipment, context => OrderStateMachine.CancelShipmentFor(context.Saga));

    /// <summary>Waits in Compensating (under its deadline) for the compensations just sent.</summary>
    public static EventActivityBinder<OrderState, T> Compensate<T>(this EventActivityBinder<OrderState, T> binder, OrderStateMachine machine)
        where T : class =>
        binder.TransitionTo(machine.Compensating);

    /// <summary>The last confirmation ends the order: it is Cancelled (and announced).</summary>
    public static EventActivityBinder<OrderState, T> CancelledOnceAllConfirmed<T>(this EventActivityBinder<OrderState, T> binder,
        OrderStateMachine machine)
        where T : class =>
        binder.If(context => context.Saga.CompensationsConfirmed, confirmed => confirmed.TransitionTo(machine.Cancelled));
}

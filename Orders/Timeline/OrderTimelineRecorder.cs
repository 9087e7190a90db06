using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.Data;
using Shop.Messaging.Storage;
using Shop.Orders.Data;
using Shop.Orders.Saga;

namespace Shop.Orders.Timeline;

/// <summary>
/// Watches the order state machine and appends to the order's timeline, on the saga's DbContext (so in its
/// transaction), for each message: the message handled, the timeout it withdrew, what it made the saga send or
/// schedule, and the state it moved the order to. Where the saga runs without a database (the in-memory test harness) it records nothing.
/// </summary>
public sealed class OrderTimelineRecorder(TimeProvider clock) : IEventObserver<OrderState>
{
    static readonly Dictionary<string, string> ContractNames = typeof(OrderSubmitted).Assembly.GetTypes()
        .Where(type => type is { IsClass: true, Namespace: "Shop.Contracts" } && type.IsDefined(typeof(MessageUrnAttribute), false))
        .ToDictionary(type => MessageUrn.ForTypeString(type), type => type.Name);

    public Task PreExecute(BehaviorContext<OrderState> context) => Task.CompletedTask;

    public Task PreExecute<T>(BehaviorContext<OrderState, T> context)
        where T : class
    {
        // Resolved once per message; without a database (the in-memory test harness) there is nothing to write.
        if (!context.TryGetPayload(out IServiceScope? scope) || scope.ServiceProvider.GetService<OrdersDbContext>() is not { } db)
            return Task.CompletedTask;

        var timeline = context.GetOrAddPayload(() =>
            new MessageTimeline(db, context.Saga, context.Saga.CurrentState, PendingTimeouts(context.Saga), clock));
        if (context.Message is Fault fault)
        {
            var exception = fault.Exceptions.FirstOrDefault();
            timeline.Append(OrderTimelineKind.Faulted, FaultedCommandName(fault),
                exception is null ? null : FaultSummary.Of(exception.ExceptionType, exception.Message));
        }
        else
        {
            timeline.Append(OrderTimelineKind.Received, typeof(T).Name, null);
        }

        return Task.CompletedTask;
    }

    public Task PostExecute(BehaviorContext<OrderState> context) => Task.CompletedTask;

    /// <summary>What the activities wrote to the outbox for this message, in the order they wrote it, then the transition.</summary>
    public Task PostExecute<T>(BehaviorContext<OrderState, T> context)
        where T : class
    {
        if (!context.TryGetPayload(out MessageTimeline? timeline))
            return Task.CompletedTask;

        // The saga dropped a pending timeout's token without that timeout arriving: it unscheduled it, and the outbox
        // deleted the scheduled message (unless it was already being sent, in which case it arrives and is ignored).
        var pendingAfter = PendingTimeouts(context.Saga);
        foreach (var (timeout, token) in timeline.TimeoutsBefore)
        {
            if (pendingAfter[timeout] != token && context.Message.GetType().Name != timeout)
                timeline.Append(OrderTimelineKind.Unscheduled, timeout, null);
        }

        foreach (var message in timeline.Db.ChangeTracker.Added<OutboxMessage>())
        {
            var name = NameOf(message.MessageType);
            if (message.EnqueueTime is { } due)
                timeline.Append(OrderTimelineKind.Scheduled, name, $"due {due:O}");
            else
                timeline.Append(OrderTimelineKind.Sent, name, message.DestinationAddress?.Segments[^1]);
        }

        var (before, after) = (timeline.StateBefore, context.Saga.CurrentState);
        if (after != before)
        {
            // MassTransit's own Initial state is where a new saga comes from; not worth naming.
            var from = before is null or "Initial" ? null : $"from {before}";
            var reason = after is nameof(OrderStateMachine.Compensating) or nameof(OrderStateMachine.Cancelled) ? context.Saga.CancellationReason : null;
            var detail = string.Join(", ", new[] { from, reason }.OfType<string>());
            timeline.Append(OrderTimelineKind.Transitioned, after, detail.Length > 0 ? detail : null);
        }

        return Task.CompletedTask;
    }

    public Task ExecuteFault(BehaviorContext<OrderState> context, Exception exception) => Task.CompletedTask;

    public Task ExecuteFault<T>(BehaviorContext<OrderState, T> context, Exception exception)
        where T : class =>
        Task.CompletedTask;

    /// <summary>The token of each deadline the order has scheduled, by the name of its timeout message.</summary>
    static Dictionary<string, Guid?> PendingTimeouts(OrderState order) => new()
    {
        [nameof(StockReservationTimeoutExpired)] = order.StockReservationTimeoutTokenId,
        [nameof(PaymentTimeoutExpired)] = order.PaymentTimeoutTokenId,
        [nameof(ShipmentTimeoutExpired)] = order.ShipmentTimeoutTokenId,
        [nameof(CompensationTimeoutExpired)] = order.CompensationTimeoutTokenId,
    };

    static string FaultedCommandName(Fault fault) =>
        fault.FaultMessageTypes.Select(NameOf).FirstOrDefault() ?? "unknown message";

    /// <summary>A contract's class name for its message URN (the first of the envelope's types), else the URN itself.</summary>
    static string NameOf(string messageTypes)
    {
        var first = messageTypes.Split(';')[0];
        return ContractNames.TryGetValue(first, out var name) ? name : first;
    }

    static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>
    /// One message's lines: the saga's DbContext, and the state and pending timeouts the order had when the message
    /// arrived.
    /// </summary>
    sealed class MessageTimeline(OrdersDbContext db, OrderState saga, string? stateBefore, Dictionary<string, Guid?> timeoutsBefore,
        TimeProvider clock)
    {
        public OrdersDbContext Db => db;
        public string? StateBefore => stateBefore;
        public IEnumerable<(string Timeout, Guid Token)> TimeoutsBefore =>
            timeoutsBefore.Where(x => x.Value is not null).Select(x => (x.Key, x.Value!.Value));

        public void Append(OrderTimelineKind kind, string name, string? detail) =>
            db.Add(new OrderTimelineEntry
            {
                OrderId = saga.CorrelationId,
                Sequence = ++saga.TimelineLength,
                At = clock.GetUtcNow(),
                Kind = kind,
                Name = Truncate(name, OrderTimelineEntry.NameLength),
                Detail = detail is null ? null : Truncate(detail, OrderTimelineEntry.DetailLength),
            });
    }
}

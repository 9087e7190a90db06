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
/// transaction), for each message: the message handled, what it made the saga send, and the state it moved the order
/// to, with that state's deadline. Where the saga runs without a database (the in-memory test harness) it records nothing.
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
            new MessageTimeline(db, context.Saga, context.Saga.CurrentState, clock));
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

        foreach (var message in timeline.Db.ChangeTracker.Added<OutboxMessage>())
            timeline.Append(OrderTimelineKind.Sent, NameOf(message.MessageType), message.DestinationAddress?.Segments[^1]);

        var (before, after) = (timeline.StateBefore, context.Saga.CurrentState);
        if (after != before)
        {
            // MassTransit's own Initial state is where a new saga comes from; not worth naming.
            var from = before is null or "Initial" ? null : $"from {before}";
            var reason = after is nameof(OrderStateMachine.Compensating) or nameof(OrderStateMachine.Cancelled) ? context.Saga.CancellationReason : null;
            var deadline = context.Saga.DeadlineAt is { } due ? $"deadline {due:O}" : null;
            var detail = string.Join(", ", new[] { from, reason, deadline }.OfType<string>());
            timeline.Append(OrderTimelineKind.Transitioned, after, detail.Length > 0 ? detail : null);
        }

        return Task.CompletedTask;
    }

    public Task ExecuteFault(BehaviorContext<OrderState> context, Exception exception) => Task.CompletedTask;

    public Task ExecuteFault<T>(BehaviorContext<OrderState, T> context, Exception exception)
        where T : class =>
        Task.CompletedTask;

    static string FaultedCommandName(Fault fault) =>
        fault.FaultMessageTypes.Select(NameOf).FirstOrDefault() ?? "unknown message";

    /// <summary>A contract's class name for its message URN (the first of the envelope's types), else the URN itself.</summary>
    static string NameOf(string messageTypes)
    {
        var first = messageTypes.Split(';')[0];
        return ContractNames.TryGetValue(first, out var name) ? name : first;
    }

    static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    /// <summary>One message's lines: the saga's DbContext, and the state the order was in when the message arrived.</summary>
    sealed class MessageTimeline(OrdersDbContext db, OrderState saga, string? stateBefore, TimeProvider clock)
    {
        public OrdersDbContext Db => db;
        public string? StateBefore => stateBefore;

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

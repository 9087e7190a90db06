using Shop.Contracts;

namespace Shop.Analytics.Consumers;

/// <summary>
/// The operations feed: cancellations a person must look at, selected by the broker from their content. The saga
/// publishes <see cref="OrderCancelled"/> with its reason in a routing header (<see cref="MessageRoutes"/>); the headers
/// exchange <c>shop.routed:OrderCancelled</c>, bound to the message's exchange, passes to this feed's queue only the
/// ones whose header matches <see cref="Reasons"/>. The same topology is declared at deployment
/// (<c>scripts/broker-routes.tsv</c>) and by the consumer's definition, identically.
/// </summary>
public static class OperationsFeed
{
    public const string QueueName = "analytics-ops-alerts";

    /// <summary>What the feed takes: captured money that does not match the order (refunded, but a person checks why).</summary>
    public static readonly IReadOnlyList<string> Reasons = [CancellationReason.PaymentAmountMismatch];

    /// <summary>The exchange MassTransit publishes <see cref="OrderCancelled"/> to.</summary>
    public static readonly string MessageExchange = $"{typeof(OrderCancelled).Namespace}:{nameof(OrderCancelled)}";

    public static readonly string RoutedExchange = MessageRoutes.ExchangeOf(typeof(OrderCancelled));

    public static readonly string ReasonHeader = MessageRoutes.HeaderOf(nameof(OrderCancelled.Reason));

    /// <summary>Whether the content, not only the header that routed it, is what the feed takes.</summary>
    public static bool Takes(OrderCancelled cancelled) => Reasons.Contains(cancelled.Reason, StringComparer.Ordinal);
}

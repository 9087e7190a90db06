namespace Shop.Contracts;

/// <summary>
/// Which properties of a message travel beside it as routing headers (<c>Shop-Route-&lt;Property&gt;</c>), so the broker
/// can route it by its content: a headers exchange (<c>shop.routed:&lt;Message&gt;</c>) bound to the message's exchange,
/// and a feed's queue bound to that with <c>x-match</c> and the values it wants (docs/analytics.md#routing-by-content).
/// Part of the contract beside <see cref="MessageSenders"/>: Shop.Messaging's publish filter sets the headers as the
/// message is written, so they survive the outbox. Only values a header can match exactly belong here (names, codes).
/// </summary>
public static class MessageRoutes
{
    public const string HeaderPrefix = "Shop-Route-";

    public static IReadOnlyDictionary<Type, IReadOnlyList<string>> Headers { get; } = new Dictionary<Type, IReadOnlyList<string>>
    {
        // An operations feed takes the cancellations that need a person (PaymentAmountMismatch): Analytics' alerts.
        [typeof(OrderCancelled)] = [nameof(OrderCancelled.Reason)],
    };

    /// <summary>The header a routed property travels in: <c>Reason</c> → <c>Shop-Route-Reason</c>.</summary>
    public static string HeaderOf(string property) => HeaderPrefix + property;

    /// <summary>The headers exchange a routed message reaches feeds through: <c>shop.routed:OrderCancelled</c>.</summary>
    public static string ExchangeOf(Type message) => $"shop.routed:{message.Name}";
}

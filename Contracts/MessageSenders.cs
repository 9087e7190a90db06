using System.Reflection;
using MassTransit;

namespace Shop.Contracts;

/// <summary>
/// Which service may send each message — part of the contract: every consumer verifies a message's signature against
/// that service's key (docs/security.md). An event, and a saga timeout, is sent by the service its URN names
/// (<c>shop:payments:payment-captured</c> ⇒ payments); a command's URN names the service that handles it, so each
/// command names its sender below. Who consumes each message (and so may sign its fault) is in
/// <see cref="MessageConsumers"/>.
/// </summary>
public static class MessageSenders
{
    public const string Orders = "orders";
    public const string Payments = "payments";
    public const string Inventory = "inventory";
    public const string Shipping = "shipping";
    public const string Notifications = "notifications";

    /// <summary>Sends nothing of its own: named for the events it consumes (<see cref="MessageConsumers"/>) and their faults.</summary>
    public const string Analytics = "analytics";

    /// <summary>The commands; Orders sends every one of them (the saga, and its price list asking for the catalog).</summary>
    public static readonly IReadOnlyDictionary<Type, string> Commands = new Dictionary<Type, string>
    {
        [typeof(ReserveStock)] = Orders,
        [typeof(ReleaseStock)] = Orders,
        [typeof(CommitStock)] = Orders,
        [typeof(ChargePayment)] = Orders,
        [typeof(RefundPayment)] = Orders,
        [typeof(CreateShipment)] = Orders,
        [typeof(CancelShipment)] = Orders,
        [typeof(CancelOrder)] = Orders,
        [typeof(PublishCatalog)] = Orders,
    };

    /// <summary>Every message type of the contracts and its sender.</summary>
    public static IReadOnlyDictionary<Type, string> All { get; } = typeof(MessageSenders).Assembly.GetExportedTypes()
        .Where(type => type.GetCustomAttribute<MessageUrnAttribute>() is not null)
        .ToDictionary(type => type, SenderOf);

    static string SenderOf(Type type)
    {
        if (Commands.TryGetValue(type, out var sender))
            return sender;

        // "urn:message:shop:<service>:<name>:v1"
        var segments = type.GetCustomAttribute<MessageUrnAttribute>()!.Urn.ToString().Split(':');
        return segments.Length > 3 && segments[2] == "shop"
            ? segments[3]
            : throw new InvalidOperationException($"{type.Name}: its URN names no service and it is not a listed command");
    }
}

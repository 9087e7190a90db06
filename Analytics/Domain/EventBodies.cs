using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Shop.Contracts;
using Shop.Data;

namespace Shop.Analytics.Domain;

/// <summary>
/// The lifecycle events Analytics keeps, how each is written to the log and read back. The log stores the message as
/// its producer sent it (type and schema version from its URN) minus personal data, so an old version stays readable
/// in its own shape; <see cref="Read"/> is the one place an old version is upcast to the current one.
/// </summary>
public static class EventBodies
{
    // Relaxed escaping: the log is read by people and tools, never embedded in HTML (an offset's '+' stays '+').
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Fields never written to the log: contact data and the v1 payment token (Analytics needs none of them).</summary>
    static readonly string[] PersonalFields = ["email", "shippingAddress", "paymentToken", "customerId"];

    /// <summary>The contracts Analytics subscribes to.</summary>
    public static readonly IReadOnlyList<Type> Contracts =
    [
        typeof(OrderSubmitted), typeof(OrderSubmittedV1), typeof(StockReserved), typeof(StockReleased), typeof(PaymentCaptured),
        typeof(PaymentRefunded), typeof(ShipmentCreated), typeof(OrderCompleted), typeof(OrderCancelled),
    ];

    static readonly Dictionary<(string Type, int Version), Type> ByName = Contracts.ToDictionary(NameOf);

    /// <summary>The log's type and schema version of a contract, from its URN: <c>shop:orders:order-submitted:v2</c> → (order-submitted, 2).</summary>
    public static (string Type, int Version) NameOf(Type contract)
    {
        var urn = contract.GetCustomAttribute<MessageUrnAttribute>()?.Urn.ToString()
            ?? throw new InvalidOperationException($"{contract.Name} has no [MessageUrn].");
        var segments = urn.Split(':');
        return (segments[^2], int.Parse(segments[^1].TrimStart('v'), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>The order and the producer's time of a message, to the microsecond the log keeps.</summary>
    public static (Guid OrderId, DateTimeOffset OccurredAt) Identify(object message)
    {
        var (orderId, occurredAt) = IdentifyExactly(message);
        return (orderId, occurredAt.ToStoredPrecision());
    }

    static (Guid OrderId, DateTimeOffset OccurredAt) IdentifyExactly(object message) => message switch
    {
        OrderSubmitted x => (x.OrderId, x.SubmittedAt),
        OrderSubmittedV1 x => (x.OrderId, x.SubmittedAt),
        StockReserved x => (x.OrderId, x.ReservedAt),
        StockReleased x => (x.OrderId, x.ReleasedAt),
        PaymentCaptured x => (x.OrderId, x.CapturedAt),
        PaymentRefunded x => (x.OrderId, x.RefundedAt),
        ShipmentCreated x => (x.OrderId, x.CreatedAt),
        OrderCompleted x => (x.OrderId, x.CompletedAt),
        OrderCancelled x => (x.OrderId, x.CancelledAt),
        _ => throw new ArgumentException($"Analytics does not keep {message.GetType().Name}.", nameof(message)),
    };

    /// <summary>The message as the log stores it: its JSON without the personal fields.</summary>
    public static string Write(object message)
    {
        var node = JsonSerializer.SerializeToNode(message, message.GetType(), Json)!.AsObject();
        foreach (var field in PersonalFields)
            node.Remove(field);
        return node.ToJsonString(Json);
    }

    /// <summary>Reads a logged body as the projections understand it: the one place old versions are upcast.</summary>
    public static object Read(string type, int version, string body)
    {
        if (!ByName.TryGetValue((type, version), out var contract))
            throw new InvalidOperationException($"Unknown event type {type} v{version} in the log.");
        var message = JsonSerializer.Deserialize(body, contract, Json)
            ?? throw new InvalidOperationException($"Empty body of {type} v{version} in the log.");
        return message switch
        {
            // v1 carried the payment token (never logged); the projections read v2.
            OrderSubmittedV1 v1 => new OrderSubmitted(v1.OrderId, v1.CustomerId, v1.Email, v1.Items, v1.Total, v1.ShippingAddress, v1.SubmittedAt),
            _ => message,
        };
    }

    /// <summary>Whether the log knows this type and version (an import refuses anything else).</summary>
    public static bool IsKnown(string type, int version) => ByName.ContainsKey((type, version));

    /// <summary>A parsed body as JSON (what an export writes).</summary>
    public static JsonNode? Parse(string body) => JsonNode.Parse(body);
}

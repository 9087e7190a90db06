using Shop.Data;

namespace Shop.Shipping.Domain;

/// <summary>
/// The one shipping record of an order (unique per <see cref="OrderId"/>): a created shipment, a recorded failure, or
/// a cancellation. Because the row exists whatever the outcome, a repeated command finds it and answers the same way.
/// </summary>
public sealed class Shipment
{
    /// <summary>The reason a CreateShipment gets for an order whose shipment was cancelled.</summary>
    public const string CancelledReason = "cancelled";

    Shipment()
    {
    }

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public ShipmentStatus Status { get; private set; }

    /// <summary>Set only for a shipment that was created (it keeps it when cancelled).</summary>
    public string? TrackingNumber { get; private set; }

    /// <summary>Destination country (ISO 3166-1 alpha-2); null for a tombstone.</summary>
    public string? Country { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }

    /// <summary>Why it failed or was cancelled.</summary>
    public string? Reason { get; private set; }

    /// <summary>Optimistic concurrency token, incremented on every change.</summary>
    public int Version { get; private set; }

    public static Shipment Create(Guid orderId, string country, string trackingNumber, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrderId = orderId,
        Status = ShipmentStatus.Created,
        TrackingNumber = trackingNumber,
        Country = country,
        CreatedAt = now.ToStoredPrecision(),
    };

    public static Shipment Fail(Guid orderId, string country, string reason, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrderId = orderId,
        Status = ShipmentStatus.Failed,
        Country = country,
        CreatedAt = now.ToStoredPrecision(),
        Reason = reason,
    };

    /// <summary>Cancelled before it was created: remembers the cancellation so that no shipment is created later.</summary>
    public static Shipment Tombstone(Guid orderId, string reason, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrderId = orderId,
        Status = ShipmentStatus.Cancelled,
        CreatedAt = now.ToStoredPrecision(),
        CancelledAt = now.ToStoredPrecision(),
        Reason = reason,
    };

    /// <summary>Cancels a created shipment; a failed or already cancelled one stays as it is.</summary>
    public void Cancel(string reason, DateTimeOffset now)
    {
        if (Status != ShipmentStatus.Created)
            return;

        Status = ShipmentStatus.Cancelled;
        CancelledAt = now.ToStoredPrecision();
        Reason = reason;
        Version++;
    }
}

namespace Shop.Shipping.Domain;

public enum ShipmentStatus
{
    /// <summary>The shipment exists and has a tracking number.</summary>
    Created,

    /// <summary>The order could not be shipped; nothing was created.</summary>
    Failed,

    /// <summary>Cancelled after creation, or a tombstone recorded before any CreateShipment arrived.</summary>
    Cancelled,
}

using MassTransit;
using Shop.Contracts;

namespace Shop.Orders.Saga;

/// <summary>One order's saga instance: where the order is in its flow, and what the saga needs to go on or undo.</summary>
public sealed class OrderState : SagaStateMachineInstance, ISagaVersion
{
    /// <summary>The order id.</summary>
    public Guid CorrelationId { get; set; }

    public string CurrentState { get; set; } = null!;
    public int Version { get; set; }

    public string CustomerId { get; set; } = "";
    public string Email { get; set; } = "";
    public decimal Total { get; set; }
    /// <summary>
    /// Sealed for Payments (ciphertext only Payments opens); sent only in ChargePayment; null once the charge is decided (or
    /// the order ends before one).
    /// </summary>
    public string? PaymentToken { get; set; }
    public List<OrderLine> Lines { get; set; } = [];
    public string ShippingLine1 { get; set; } = "";
    public string ShippingCity { get; set; } = "";
    public string ShippingPostalCode { get; set; } = "";
    public string ShippingCountry { get; set; } = "";

    public Guid? PaymentId { get; set; }
    public string? TrackingNumber { get; set; }

    /// <summary>A <see cref="Contracts.CancellationReason"/> once the order is cancelled.</summary>
    public string? CancellationReason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>How many lines the order's timeline (<c>OrderTimeline</c>) has; the next line's sequence number follows it.</summary>
    public int TimelineLength { get; set; }

    /// <summary>
    /// When the current waiting state's deadline passes (null in Completed and Cancelled, and once its timeout is sent):
    /// the deadline poller then sends the state's timeout to the saga.
    /// </summary>
    public DateTimeOffset? DeadlineAt { get; set; }

    /// <summary>ReleaseStock commands sent whose StockReleased has not arrived yet.</summary>
    public int PendingStockReleases { get; set; }

    /// <summary>1 while a RefundPayment sent awaits its PaymentRefunded: one charge per order, so one confirmation settles every request.</summary>
    public int PendingRefunds { get; set; }

    /// <summary>CancelShipment commands sent whose ShipmentCancelled has not arrived yet.</summary>
    public int PendingShipmentCancels { get; set; }

    /// <summary>When the compensation deadline first passed with a compensation unconfirmed: the order is escalated (stuck).</summary>
    public DateTimeOffset? EscalatedAt { get; set; }

    /// <summary>Every compensation sent has been confirmed.</summary>
    public bool CompensationsConfirmed => PendingStockReleases == 0 && PendingRefunds == 0 && PendingShipmentCancels == 0;
}

using MassTransit;

namespace Shop.Contracts;

/// <summary>The order ended cancelled; every earlier step has been compensated. <see cref="Reason"/> is a <see cref="CancellationReason"/>.</summary>
[MessageUrn("shop:orders:order-cancelled:v1")]
public sealed record OrderCancelled(
    Guid OrderId,
    string CustomerId,
    string Email,
    string Reason,
    DateTimeOffset CancelledAt);

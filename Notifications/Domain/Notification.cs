using System.Globalization;
using Shop.Contracts;

namespace Shop.Notifications.Domain;

/// <summary>A message sent to a customer about their order. Unique per (<see cref="OrderId"/>, <see cref="Kind"/>).</summary>
public sealed class Notification
{
    Notification()
    {
    }

    public Guid Id { get; private set; }
    public Guid OrderId { get; private set; }
    public NotificationKind Kind { get; private set; }

    /// <summary>The customer's e-mail address.</summary>
    public string Recipient { get; private set; } = null!;

    public string Text { get; private set; } = null!;
    public DateTimeOffset SentAt { get; private set; }

    public static Notification For(OrderCompleted completed, DateTimeOffset now) => New(completed.OrderId, NotificationKind.Completed,
        completed.Email, string.Create(CultureInfo.InvariantCulture,
            $"Your order {completed.OrderId} is on its way: tracking number {completed.TrackingNumber}, {completed.Total:0.00} charged."),
        now);

    public static Notification For(OrderCancelled cancelled, DateTimeOffset now) => New(cancelled.OrderId, NotificationKind.Cancelled,
        cancelled.Email, $"Your order {cancelled.OrderId} was cancelled because {Explain(cancelled.Reason)}. Any amount charged has been refunded.",
        now);

    static Notification New(Guid orderId, NotificationKind kind, string recipient, string text, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        OrderId = orderId,
        Kind = kind,
        Recipient = recipient,
        Text = text,
        SentAt = now,
    };

    static string Explain(string reason) => reason switch
    {
        CancellationReason.OutOfStock => "an item is out of stock",
        CancellationReason.PaymentDeclined => "the payment was declined",
        CancellationReason.PaymentTimeout => "the payment did not complete in time",
        CancellationReason.ShippingFailed => "we cannot ship to the address given",
        CancellationReason.CustomerCancelled => "you asked us to cancel it",
        _ => $"of '{reason}'",
    };
}

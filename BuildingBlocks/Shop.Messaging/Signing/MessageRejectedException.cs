namespace Shop.Messaging.Signing;

/// <summary>
/// A received message whose signature was refused. It is never consumed nor retried: MassTransit moves it to the
/// endpoint's <c>_error</c> queue, with <see cref="Reason"/> in <see cref="MessageSignature.RejectedHeader"/> (and in
/// <c>MT-Fault-Message</c>).
/// </summary>
public sealed class MessageRejectedException(string reason, string detail)
    : Exception($"Message rejected ({reason}): {detail}")
{
    /// <summary>unsigned, unknown-key, forged, expired, future, wrong-sender.</summary>
    public string Reason { get; } = reason;
}

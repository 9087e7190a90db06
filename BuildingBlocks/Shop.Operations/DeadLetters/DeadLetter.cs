namespace Shop.Operations.DeadLetters;

/// <summary>A message in an <c>_error</c> queue, decoded for an operator.</summary>
/// <param name="Id">The message's MessageId, by which the tool addresses it (a body hash for a message without one).</param>
/// <param name="SourceQueue">The queue it failed on, where a re-drive puts it back.</param>
/// <param name="MessageType">The short type name, e.g. <c>ChargePayment</c>.</param>
/// <param name="MessageTypes">Every type URN of the envelope, e.g. <c>urn:message:Shop.Contracts:ChargePayment</c>.</param>
/// <param name="OrderId">The body's <c>orderId</c>, when it has one.</param>
/// <param name="FaultedAt">When the consumer failed for the last time (MassTransit's <c>MT-Fault-Timestamp</c>).</param>
public sealed record DeadLetter(
    string Id,
    string ErrorQueue,
    string SourceQueue,
    string? MessageType,
    IReadOnlyList<string> MessageTypes,
    string? OrderId,
    string? ExceptionType,
    string? Reason,
    DateTimeOffset? FaultedAt,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers,
    string Body)
{
    public TimeSpan? AgeAt(DateTimeOffset now) => FaultedAt is { } faultedAt ? now - faultedAt : null;
}

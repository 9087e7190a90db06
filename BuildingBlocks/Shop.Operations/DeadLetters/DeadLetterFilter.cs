namespace Shop.Operations.DeadLetters;

/// <summary>
/// Which dead letters a command acts on; every criterion given must match (none given: all of them).
/// <see cref="MessageIds"/>: any of these ids (<c>--message-id</c>, named one by one). <see cref="ExceptionType"/>: the
/// fault's exception type, full or short name (the console's groups).
/// </summary>
public sealed record DeadLetterFilter(
    string? MessageId = null,
    string? Queue = null,
    string? MessageType = null,
    string? OrderId = null,
    TimeSpan? OlderThan = null,
    IReadOnlyList<string>? MessageIds = null,
    string? ExceptionType = null)
{
    /// <summary>Whether the error queue can hold matches: <c>--queue charge-payment</c> or <c>--queue charge-payment_error</c>.</summary>
    public bool Includes(string errorQueue) =>
        Queue is null
        || string.Equals(errorQueue, Queue, StringComparison.Ordinal)
        || string.Equals(errorQueue, Queue + ErrorQueues.Suffix, StringComparison.Ordinal);

    public bool Matches(DeadLetter letter, DateTimeOffset now) =>
        Includes(letter.ErrorQueue)
        && (MessageId is null || string.Equals(letter.Id, MessageId, StringComparison.OrdinalIgnoreCase))
        && (MessageIds is null || MessageIds.Contains(letter.Id, StringComparer.OrdinalIgnoreCase))
        && (MessageType is null || MatchesType(letter))
        && (OrderId is null || string.Equals(letter.OrderId, OrderId, StringComparison.OrdinalIgnoreCase))
        && (OlderThan is null || letter.AgeAt(now) >= OlderThan)
        && (ExceptionType is null || string.Equals(ShortExceptionType(letter.ExceptionType), ShortExceptionType(ExceptionType), StringComparison.Ordinal));

    /// <summary><c>MassTransit.PermanentMessageFailureException</c> → <c>PermanentMessageFailureException</c>; none → <c>unknown</c>.</summary>
    public static string ShortExceptionType(string? exceptionType) =>
        string.IsNullOrEmpty(exceptionType) ? "unknown" : exceptionType[(exceptionType.LastIndexOf('.') + 1)..];

    /// <summary>
    /// By full URN, or by short name in any spelling: <c>ChargePayment</c>, <c>charge-payment</c> and
    /// <c>urn:message:shop:payments:charge-payment:v1</c> all select the same messages.
    /// </summary>
    bool MatchesType(DeadLetter letter) =>
        letter.MessageTypes.Contains(MessageType, StringComparer.OrdinalIgnoreCase)
        // A filter with no letter or digit (`--type -`) names no type: it must not match messages of unknown type.
        || (Simplified(MessageType!) is { Length: > 0 } wanted
            && letter.MessageTypes.Select(DeadLetterReader.ShortTypeName)
                .Concat(letter.MessageType is null ? [] : [letter.MessageType])
                .Any(name => Simplified(name) == wanted));

    static string Simplified(string name) => string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant();
}

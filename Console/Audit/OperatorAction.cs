namespace Shop.Console.Audit;

/// <summary>
/// One message of one operator action (table <c>OperatorActions</c>, the console's audit): who acted, what, when, on
/// which message and with what result. Keyed by (operation, message): an operation posted twice cannot act twice on the
/// same message, and its second post reads the first one's outcome.
/// </summary>
public sealed class OperatorAction
{
    public const int OperatorLength = 200;
    public const int MessageIdLength = 200;
    public const int QueueLength = 255;
    public const int MessageTypeLength = 200;
    public const int ResultLength = 1000;

    /// <summary>The operation's id, made by its confirmation page.</summary>
    public Guid OperationId { get; init; }

    public required string MessageId { get; init; }

    /// <summary>The signed-in operator: name and subject (<c>grace (3f2…)</c>).</summary>
    public required string Operator { get; init; }

    /// <summary><see cref="OperatorActionKinds.Redrive"/> or <see cref="OperatorActionKinds.Discard"/>.</summary>
    public required string Action { get; init; }

    public DateTimeOffset At { get; set; }

    /// <summary>The error queue the message was in (unknown until it was found).</summary>
    public string? Queue { get; set; }

    public string? MessageType { get; set; }

    /// <summary>The order the message blocks (its body's <c>orderId</c>), when it has one.</summary>
    public Guid? OrderId { get; set; }

    /// <summary>
    /// <c>pending</c> (claimed, not yet acted on), <c>moved</c>, <c>refused:&lt;reason&gt;</c>, <c>failed:&lt;error&gt;</c>,
    /// <c>discarded</c>, <c>missing</c> (no longer in an error queue when the operation ran).
    /// </summary>
    public required string Result { get; set; }
}

public static class OperatorActionKinds
{
    public const string Redrive = "redrive";
    public const string Discard = "discard";

    public static bool IsKnown(string? action) => action is Redrive or Discard;
}

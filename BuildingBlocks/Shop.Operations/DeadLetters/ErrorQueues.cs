namespace Shop.Operations.DeadLetters;

/// <summary>MassTransit's naming of error queues: a message that failed on <c>charge-payment</c> lands in <c>charge-payment_error</c>.</summary>
public static class ErrorQueues
{
    public const string Suffix = "_error";

    public static bool IsErrorQueue(string queue) => queue.EndsWith(Suffix, StringComparison.Ordinal) && queue.Length > Suffix.Length;

    public static string SourceOf(string errorQueue) => errorQueue[..^Suffix.Length];
}

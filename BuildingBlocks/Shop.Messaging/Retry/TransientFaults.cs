using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Retry;

/// <summary>Which failures are worth an immediate retry: the next attempt, on fresh state, is likely to succeed.</summary>
public static class TransientFaults
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        // Another message changed the same row first (optimistic concurrency): run again on the new version.
        DbUpdateConcurrencyException => true,
        // A concurrent duplicate or an initiating message for the same saga won the insert race.
        DbUpdateException when DatabaseErrors.IsUniqueViolation(exception) => true,
        _ => DatabaseErrors.IsTransient(exception),
    };
}

/// <summary>
/// Thrown by a consumer for a failure that no retry can fix (a poison message): it skips retries and redelivery and
/// goes straight to the endpoint's <c>_error</c> queue.
/// </summary>
public class PermanentMessageFailureException(string message, Exception? innerException = null) : Exception(message, innerException);

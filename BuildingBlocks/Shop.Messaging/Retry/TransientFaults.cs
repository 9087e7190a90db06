using Microsoft.EntityFrameworkCore;
using Shop.Data;

namespace Shop.Messaging.Retry;

/// <summary>Which failures are worth an immediate retry: the next attempt, on fresh state, is likely to succeed.</summary>
public static class TransientFaults
{
    /// <summary>How often a unique violation is retried at once: a lost race is decided by then, a real duplicate is not.</summary>
    public const int UniqueViolationRetries = 1;

    public static bool IsTransient(Exception exception) => exception switch
    {
        // Another message changed the same row first (optimistic concurrency): run again on the new version.
        DbUpdateConcurrencyException => true,
        _ => DatabaseErrors.IsTransient(exception),
    };

    /// <summary>
    /// A unique-key violation: a concurrent duplicate or an initiating message for the same saga won the insert race,
    /// and the retry sees the winner's row. Retried only <see cref="UniqueViolationRetries"/> time(s): one that recurs is
    /// a key the data itself duplicates, which every retry would hit again, so it takes the normal way to redelivery and
    /// <c>_error</c> rather than being retried as transient.
    /// </summary>
    public static bool IsUniqueViolationRace(Exception exception) =>
        exception is DbUpdateException && DatabaseErrors.IsUniqueViolation(exception);
}

/// <summary>
/// Thrown by a consumer for a failure that no retry can fix (a poison message): it skips retries and redelivery and
/// goes straight to the endpoint's <c>_error</c> queue.
/// </summary>
public class PermanentMessageFailureException(string message, Exception? innerException = null) : Exception(message, innerException);

using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.Messaging.Retry;

namespace Shop.Messaging.Tests;

/// <summary>
/// A unique violation is a lost insert race at most once: the one immediate retry sees the winner's row. One that recurs
/// (a key the data itself duplicates) is not transient: it is not retried at once again and again.
/// </summary>
public sealed class When_a_unique_key_is_violated
{
    static readonly DbUpdateException UniqueViolation = new("insert failed",
        new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation));

    [Fact]
    public void Should_not_be_transient()
    {
        Assert.False(TransientFaults.IsTransient(UniqueViolation));
    }

    [Fact]
    public void Should_be_retried_once_as_a_race()
    {
        Assert.True(TransientFaults.IsUniqueViolationRace(UniqueViolation));
        Assert.Equal(1, TransientFaults.UniqueViolationRetries);
    }

    [Fact]
    public void Should_leave_concurrency_conflicts_and_deadlocks_transient()
    {
        Assert.True(TransientFaults.IsTransient(new DbUpdateConcurrencyException("changed meanwhile")));
        Assert.True(TransientFaults.IsTransient(new DbUpdateException("deadlock",
            new PostgresException("deadlock detected", "ERROR", "ERROR", PostgresErrorCodes.DeadlockDetected))));
        Assert.False(TransientFaults.IsUniqueViolationRace(new DbUpdateConcurrencyException("changed meanwhile")));
    }
}

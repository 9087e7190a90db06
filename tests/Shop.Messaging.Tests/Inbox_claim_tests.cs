using MassTransit;
using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Storage;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests;

/// <summary>
/// Two copies of one message consumed at the same moment (two instances, or a redelivery overtaking a slow consumer):
/// the inbox claim is the first statement of each copy's transaction, on the real PostgreSQL.
/// </summary>
public sealed class When_two_copies_of_a_message_are_claimed_at_once : IAsyncLifetime
{
    static readonly Guid Consumer = Guid.NewGuid();
    TestDatabase _db = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        await using var db = Context();
        await db.Database.EnsureCreatedAsync();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task Should_make_the_second_wait_and_find_the_message_consumed()
    {
        var messageId = NewId.NextGuid();
        await using var first = Context();
        await using var second = Context();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        await using var secondTransaction = await second.Database.BeginTransactionAsync();

        Assert.Equal(1, await Claim(first, messageId));
        var secondClaim = Claim(second, messageId);
        await Task.Delay(500);
        Assert.False(secondClaim.IsCompleted, "the second copy must wait for the first one's outcome");

        await firstTransaction.CommitAsync();

        Assert.Equal(0, await secondClaim.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Should_let_the_second_consume_when_the_first_rolls_back()
    {
        var messageId = NewId.NextGuid();
        await using var first = Context();
        await using var second = Context();
        await using var firstTransaction = await first.Database.BeginTransactionAsync();
        await using var secondTransaction = await second.Database.BeginTransactionAsync();

        Assert.Equal(1, await Claim(first, messageId));
        var secondClaim = Claim(second, messageId);
        await Task.Delay(500);
        Assert.False(secondClaim.IsCompleted, "the second copy must wait for the first one's outcome");

        await firstTransaction.RollbackAsync();

        Assert.Equal(1, await secondClaim.WaitAsync(TimeSpan.FromSeconds(10)));
        await secondTransaction.CommitAsync();
        Assert.Equal(1, await _db.ScalarAsync<long>($"SELECT count(*) FROM \"InboxState\" WHERE \"MessageId\" = '{messageId}'"));
    }

    [Fact]
    public async Task Should_claim_a_message_again_for_another_consumer()
    {
        var messageId = NewId.NextGuid();
        await using var db = Context();

        Assert.Equal(1, await Claim(db, messageId));
        Assert.Equal(0, await Claim(db, messageId));
        Assert.Equal(1, await Claim(db, messageId, Guid.NewGuid()));
    }

    TestDbContext Context() =>
        new(new DbContextOptionsBuilder<TestDbContext>().UseNpgsql(PostgresConnectionTuning.Apply(_db.ConnectionString)).Options);

    static Task<int> Claim(TestDbContext db, Guid messageId, Guid? consumer = null) =>
        db.Database.ExecuteSqlRawAsync(DatabaseDialect.For(db).ClaimInboxSql(db), messageId, consumer ?? Consumer, DateTime.UtcNow);
}

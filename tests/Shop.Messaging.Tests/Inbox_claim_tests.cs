using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Shop.Data;
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
        await using var race = await ClaimRace.StartAsync(Context);

        await race.FirstTransaction.CommitAsync();

        Assert.Equal(0, await race.SecondClaim.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Should_let_the_second_consume_when_the_first_rolls_back()
    {
        await using var race = await ClaimRace.StartAsync(Context);

        await race.FirstTransaction.RollbackAsync();

        Assert.Equal(1, await race.SecondClaim.WaitAsync(TimeSpan.FromSeconds(10)));
        await race.SecondTransaction.CommitAsync();
        Assert.Equal(1, await _db.ScalarAsync<long>($"SELECT count(*) FROM \"InboxState\" WHERE \"MessageId\" = '{race.MessageId}'"));
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

    /// <summary>Two transactions claim one message: the first has claimed it, the second is blocked behind it.</summary>
    sealed class ClaimRace(TestDbContext first, TestDbContext second) : IAsyncDisposable
    {
        public Guid MessageId { get; } = NewId.NextGuid();
        public IDbContextTransaction FirstTransaction { get; private set; } = null!;
        public IDbContextTransaction SecondTransaction { get; private set; } = null!;
        public Task<int> SecondClaim { get; private set; } = null!;

        public static async Task<ClaimRace> StartAsync(Func<TestDbContext> context)
        {
            var race = new ClaimRace(context(), context());
            await race.Start();
            return race;
        }

        async Task Start()
        {
            FirstTransaction = await first.Database.BeginTransactionAsync();
            SecondTransaction = await second.Database.BeginTransactionAsync();

            Assert.Equal(1, await Claim(first, MessageId));
            SecondClaim = Claim(second, MessageId);
            await Consistently.True(() => !SecondClaim.IsCompleted, "the second copy waits for the first one's outcome",
                TimeSpan.FromMilliseconds(500));
            Assert.False(SecondClaim.IsCompleted, "the second copy must wait for the first one's outcome");
        }

        public async ValueTask DisposeAsync()
        {
            await SecondTransaction.DisposeAsync();
            await FirstTransaction.DisposeAsync();
            await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Messaging.Delivery;
using Shop.Messaging.Tests.Infrastructure;

namespace Shop.Messaging.Tests.Scaling;

/// <summary>The inbox clean-up deletes in bounded batches, and two instances running it at once share the work.</summary>
public sealed class When_two_instances_clean_up_the_inbox : MessagingTest
{
    [Fact]
    public async Task Should_remove_every_expired_row_in_batches_and_keep_the_recent_ones()
    {
        await CreateSchema();
        await Db.ExecuteAsync("""
            INSERT INTO "InboxState" ("MessageId", "ConsumerId", "Received")
            SELECT gen_random_uuid(), gen_random_uuid(), now() - interval '2 hours' FROM generate_series(1, 2500);
            INSERT INTO "InboxState" ("MessageId", "ConsumerId", "Received")
            SELECT gen_random_uuid(), gen_random_uuid(), now() FROM generate_series(1, 10);
            """);

        Action<HostApplicationBuilder> smallBatches = builder => builder.Configuration["Messaging:InboxCleanupBatchSize"] = "300";
        await using var first = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { }, deliveryEnabled: false, configure: smallBatches);
        await using var second = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { }, deliveryEnabled: false, configure: smallBatches);

        // Both hosts' own clean-up ran once at start; run both again at the same moment on whatever is left.
        var removed = await Task.WhenAll(Cleanup(first).RemoveExpired(CancellationToken.None), Cleanup(second).RemoveExpired(CancellationToken.None));

        Assert.All(removed, count => Assert.True(count >= 0));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT count(*) FROM \"InboxState\" WHERE \"Received\" < now() - interval '1 hour'"));
        Assert.Equal(10, await Db.ScalarAsync<long>("SELECT count(*) FROM \"InboxState\""));
    }

    static InboxCleanupService Cleanup(MessagingTestHost host) =>
        host.Services.GetServices<IHostedService>().OfType<InboxCleanupService>().Single();

    async Task CreateSchema()
    {
        await using var db = new TestDbContext(new DbContextOptionsBuilder<TestDbContext>().UseNpgsql(Db.ConnectionString).Options);
        await db.Database.EnsureCreatedAsync();
    }
}

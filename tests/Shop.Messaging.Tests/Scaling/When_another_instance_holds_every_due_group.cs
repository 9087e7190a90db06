using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Messaging.Diagnostics;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests.Scaling;

/// <summary>
/// A second instance's delivery pass holds the row locks of every due group (here: a second connection holding them):
/// this instance must sleep until its poll, not loop on "something is due" for as long as the other pass runs.
/// </summary>
public sealed class When_another_instance_holds_every_due_group : MessagingTest
{
    [Fact]
    public async Task Should_poll_at_its_interval_instead_of_spinning_and_deliver_once_the_locks_go()
    {
        await WriteOneMessage();

        await using var otherInstance = new NpgsqlConnection(Db.ConnectionString);
        await otherInstance.OpenAsync();
        await using var otherPass = await otherInstance.BeginTransactionAsync();
        await using (var lockGroups = new NpgsqlCommand("SELECT * FROM \"OutboxState\" FOR UPDATE", otherInstance, otherPass))
            await lockGroups.ExecuteNonQueryAsync();

        // Poll interval 200 ms (MessagingTestHost): about 10 passes in 2 s. A pass that takes the locked due group for the
        // next due time waits zero and runs thousands.
        await using var host = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { });
        var metrics = host.Services.GetRequiredService<MessagingMetrics>();
        await Eventually.True(() => Task.FromResult(metrics.DeliveryPasses > 0), "the delivery service runs");
        var before = metrics.DeliveryPasses;

        await Consistently.True(() => metrics.DeliveryPasses - before <= 25, "no more passes than the poll interval allows",
            TimeSpan.FromSeconds(2));
        var passes = metrics.DeliveryPasses - before;
        Assert.InRange(passes, 1, 25);
        Assert.Equal(1, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxState\""));

        // The other pass ends without delivering: the group is taken by the next poll.
        await otherPass.RollbackAsync();
        await Eventually.True(async () => await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxState\"") == 0,
            "the group is delivered once the other instance lets go of it");
    }

    [Fact]
    public async Task Should_still_wake_for_a_group_that_comes_due_before_the_poll()
    {
        await using var host = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { },
            configure: builder => builder.Configuration["Messaging:DeliveryPollInterval"] = "00:00:30");
        var metrics = host.Services.GetRequiredService<MessagingMetrics>();
        await Eventually.True(() => Task.FromResult(metrics.DeliveryPasses > 0), "the delivery service runs");

        // Written behind the service's back (another host: no commit signal here), due in 1 s: only the next-due wait can
        // find it in time.
        await WriteOneMessage(dueIn: TimeSpan.FromSeconds(1));
        // Wake the service once so that it reads the new next-due time (as a commit of this instance would).
        host.Services.GetRequiredService<Delivery.OutboxSignal>().Notify();

        await Eventually.True(async () => await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxState\"") == 0,
            "the scheduled group is delivered when due, long before the 30 s poll", TimeSpan.FromSeconds(10));
    }

    /// <summary>One message in its group, written by a host that does not deliver, then made due when wanted.</summary>
    async Task WriteOneMessage(TimeSpan dueIn = default)
    {
        await using (var writer = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { }, deliveryEnabled: false))
        {
            await writer.InScope(async services =>
            {
                await services.GetRequiredService<IPublishEndpoint>().Publish(new CounterIncremented(Guid.NewGuid().ToString("N")));
                return await services.GetRequiredService<TestDbContext>().SaveChangesAsync();
            });
        }

        if (dueIn != default)
            await Db.ExecuteAsync($"UPDATE \"OutboxState\" SET \"DueTime\" = now() + interval '{dueIn.TotalSeconds} seconds'");
    }
}

using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Messaging.Delivery;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests.Scaling;

/// <summary>
/// Delivery passes stopped midway — the host shutting down while a pass sends — and a second instance delivering from
/// the same outbox: every message still arrives exactly once.
/// </summary>
public sealed class When_instances_deliver_and_stop : MessagingTest
{
    [Fact]
    public async Task Should_record_what_a_stopped_pass_sent_and_send_it_only_once()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        const int groups = 20, perGroup = 10;
        await using var probe = await MessagingTestHost.StartAsync(Db, VirtualHost, bus => bus.AddConsumer<CounterIncrementedProbe>(),
            deliveryEnabled: false);
        await WriteGroups(probe, run, groups, perGroup);

        // One group at a time; the stopping token is cancelled by the 15th send, in the middle of the second group.
        await using var stopping = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { }, deliveryEnabled: false,
            configure: builder => builder.Configuration["Messaging:DeliveryConcurrency"] = "1");
        using var stop = new CancellationTokenSource();
        var sends = 0;
        using var observer = stopping.Bus.ConnectSendObserver(new AfterSend(() =>
        {
            if (Interlocked.Increment(ref sends) == 15)
                stop.Cancel();
        }));
        var service = stopping.Services.GetServices<IHostedService>().OfType<OutboxDeliveryService>().Single();

        await service.DeliverDueGroups(stop.Token);

        // What went out is recorded as sent: 15 rows fewer, and the group cut short keeps its other 5, in order.
        Assert.Equal(15, Volatile.Read(ref sends));
        Assert.Equal(groups * perGroup - 15, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxMessage\""));
        Assert.Equal(groups - 1, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxState\""));

        // Another instance delivers the rest: each message once, none of the 15 again.
        await using var other = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { });
        await AssertEachArrivesOnce(run, groups * perGroup);
    }

    [Fact]
    public async Task Should_deliver_each_group_once_when_one_of_two_instances_stops_midway()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        const int groups = 60, perGroup = 10;
        await using var probe = await MessagingTestHost.StartAsync(Db, VirtualHost, bus => bus.AddConsumer<CounterIncrementedProbe>(),
            deliveryEnabled: false);
        await WriteGroups(probe, run, groups, perGroup);

        // Small batches, so that the stop falls between and inside passes.
        Action<HostApplicationBuilder> smallBatches = builder => builder.Configuration["Messaging:DeliveryBatchSize"] = "5";
        var first = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { }, configure: smallBatches);
        await using var second = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { }, configure: smallBatches);

        await Eventually.True(() => Task.FromResult(CountArrived(run, groups * perGroup) >= 100), "delivery is under way");
        await first.DisposeAsync();

        await AssertEachArrivesOnce(run, groups * perGroup);
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxState\""));
    }

    static async Task WriteGroups(MessagingTestHost host, string run, int groups, int perGroup)
    {
        for (var group = 0; group < groups; group++)
        {
            await host.InScope(async services =>
            {
                var publish = services.GetRequiredService<IPublishEndpoint>();
                for (var i = 0; i < perGroup; i++)
                    await publish.Publish(new CounterIncremented($"{run}-{group * perGroup + i}"));
                return await services.GetRequiredService<TestDbContext>().SaveChangesAsync();
            });
        }
    }

    static int CountArrived(string run, int messages) =>
        Enumerable.Range(0, messages).Count(i => CounterIncrementedProbe.Received.ContainsKey($"{run}-{i}"));

    async Task AssertEachArrivesOnce(string run, int messages)
    {
        await Eventually.True(async () => await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxMessage\"") == 0, "the outbox is drained");
        await Eventually.True(() => Task.FromResult(CountArrived(run, messages) == messages), "every message arrived");
        await Consistently.True(() => Enumerable.Range(0, messages).All(i => CounterIncrementedProbe.Received[$"{run}-{i}"].Count == 1),
            "no message arrives a second time");
        Assert.All(Enumerable.Range(0, messages), i => Assert.Single(CounterIncrementedProbe.Received[$"{run}-{i}"]));
    }

    sealed class AfterSend(Action sent) : ISendObserver
    {
        public Task PreSend<T>(SendContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostSend<T>(SendContext<T> context)
            where T : class
        {
            sent();
            return Task.CompletedTask;
        }

        public Task SendFault<T>(SendContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}

using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Messaging.Delivery;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests;

/// <summary>
/// A pass takes a bounded number of messages, so a group can come in part: the rest waits for the next pass, in order,
/// and the group row goes only with its last message.
/// </summary>
public sealed class When_a_group_is_larger_than_a_delivery_pass : MessagingTest
{
    [Fact]
    public async Task Should_send_the_group_over_several_passes_in_order_and_then_delete_it()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await using var writer = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { }, deliveryEnabled: false);
        await writer.InScope(async services =>
        {
            var publish = services.GetRequiredService<IPublishEndpoint>();
            for (var i = 0; i < 10; i++)
                await publish.Publish(new CounterIncremented($"{run}-{i}"));
            return await services.GetRequiredService<TestDbContext>().SaveChangesAsync();
        });

        var written = (await Db.ScalarAsync<string>(
            "SELECT string_agg(\"MessageId\"::text, ',' ORDER BY \"SequenceNumber\") FROM \"OutboxMessage\""))!.Split(',');

        await using var delivering = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { }, deliveryEnabled: false,
            configure: builder => builder.Configuration["Messaging:DeliveryBatchSize"] = "4");
        var sent = new ConcurrentQueue<string>();
        using var observer = delivering.Bus.ConnectSendObserver(new SentIds(sent));
        var service = delivering.Services.GetServices<IHostedService>().OfType<OutboxDeliveryService>().Single();

        var passes = new List<(int Delivered, long MessagesLeft, long GroupsLeft)>();
        for (var pass = 0; pass < 3; pass++)
        {
            var result = await service.DeliverDueGroups(CancellationToken.None);
            passes.Add((result.Delivered, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxMessage\""),
                await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxState\"")));
        }

        Assert.Equal([(4, 6L, 1L), (4, 2L, 1L), (2, 0L, 0L)], passes);
        Assert.Equal(10, written.Length);
        Assert.Equal(written, sent);
        Assert.Equal(0, (await service.DeliverDueGroups(CancellationToken.None)).Delivered);
    }

    sealed class SentIds(ConcurrentQueue<string> ids) : ISendObserver
    {
        public Task PreSend<T>(SendContext<T> context)
            where T : class => Task.CompletedTask;

        public Task PostSend<T>(SendContext<T> context)
            where T : class
        {
            ids.Enqueue(context.MessageId.ToString()!);
            return Task.CompletedTask;
        }

        public Task SendFault<T>(SendContext<T> context, Exception exception)
            where T : class => Task.CompletedTask;
    }
}

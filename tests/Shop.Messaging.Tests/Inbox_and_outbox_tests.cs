using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Messaging.Storage;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests;

public sealed class When_the_same_message_is_delivered_twice : CounterHostTest
{
    [Fact]
    public async Task Should_have_one_effect_and_publish_once()
    {
        var key = $"dup-{Guid.NewGuid():N}";
        var messageId = NewId.NextGuid();

        await Host.Bus.SendTo("increment-counter", new IncrementCounter(key), messageId);
        await Host.Bus.SendTo("increment-counter", new IncrementCounter(key), messageId);
        // The endpoint consumes one message at a time: once the marker is done, both duplicates are too.
        var marker = $"marker-{Guid.NewGuid():N}";
        await Host.Bus.SendTo("increment-counter", new IncrementCounter(marker));

        await Eventually.True(async () => await Host.CounterValue(marker) == 1, "the marker was consumed");
        await Eventually.True(() => Task.FromResult(CounterIncrementedProbe.Received.ContainsKey(marker)), "the marker's event arrived");

        Assert.Equal(1, await Host.CounterValue(key));
        Assert.Single(CounterIncrementedProbe.Received[key]);
        Assert.Equal(1, await Db.ScalarAsync<long>($"SELECT count(*) FROM \"InboxState\" WHERE \"MessageId\" = '{messageId}'"));
        // The duplicate was acknowledged as consumed, not parked as an unconsumed (skipped) message.
        Assert.Empty(await VirtualHost.GetMessagesAsync("increment-counter_skipped"));
    }
}

public sealed class When_a_consumer_throws_after_publishing : CounterHostTest
{
    [Fact]
    public async Task Should_publish_nothing_change_nothing_and_end_in_the_error_queue()
    {
        var key = $"boom-{Guid.NewGuid():N}";

        await Host.Bus.SendTo("increment-counter", new IncrementThenExplode(key));

        // 1 delivery + 2 durable redeliveries (1 s each), then _error.
        await Eventually.True(async () => await VirtualHost.MessagesReadyAsync("increment-counter_error") == 1,
            "the message reached increment-counter_error", TimeSpan.FromSeconds(30));

        Assert.Null(await Host.CounterValue(key));
        Assert.False(CounterIncrementedProbe.Received.ContainsKey(key));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxMessage\""));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT count(*) FROM \"InboxState\""));

        var faulted = Assert.Single(await VirtualHost.GetMessagesAsync("increment-counter_error"));
        Assert.Contains("Boom after publishing", faulted.Headers.GetProperty("MT-Fault-Message").GetString());
        Assert.Equal(2, faulted.Headers.GetProperty("MT-Redelivery-Count").GetInt32());
    }
}

public sealed class When_a_consumer_fails_twice_then_succeeds : CounterHostTest
{
    [Fact]
    public async Task Should_be_redelivered_durably_and_have_one_effect()
    {
        var key = $"flaky-{Guid.NewGuid():N}";

        await Host.Bus.SendTo("increment-counter", new FlakyIncrement(key, Failures: 2));

        await Eventually.True(async () => await Host.CounterValue(key) == 1, "the third delivery succeeded", TimeSpan.FromSeconds(20));
        await Eventually.True(() => Task.FromResult(CounterIncrementedProbe.Received.ContainsKey(key)), "its event arrived");

        Assert.Equal(3, IncrementCounterConsumer.Attempts[key]);
        await Consistently.True(() => CounterIncrementedProbe.Received[key].Count == 1, "the event arrived once",
            TimeSpan.FromMilliseconds(500));
        Assert.Single(CounterIncrementedProbe.Received[key]);
        Assert.Equal(0, await VirtualHost.MessagesReadyAsync("increment-counter_error"));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxState\""));
    }
}

public sealed class When_the_host_stops_after_commit_and_before_delivery : MessagingTest
{
    [Fact]
    public async Task Should_deliver_the_message_once_the_host_starts_again()
    {
        var key = $"restart-{Guid.NewGuid():N}";

        // A host that commits (bus outbox, as an HTTP handler would) but dies before its delivery service sends.
        await using (var crashed = await MessagingTestHost.StartAsync(Db, VirtualHost, bus => bus.AddConsumer<CounterIncrementedProbe>(),
                         deliveryEnabled: false))
        {
            await crashed.InScope(async services =>
            {
                await services.GetRequiredService<IPublishEndpoint>().Publish(new CounterIncremented(key));
                return await services.GetRequiredService<TestDbContext>().SaveChangesAsync();
            });
        }

        Assert.Equal(1, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxMessage\""));
        Assert.False(CounterIncrementedProbe.Received.ContainsKey(key));

        await using var restarted = await MessagingTestHost.StartAsync(Db, VirtualHost, bus => bus.AddConsumer<CounterIncrementedProbe>());

        await Eventually.True(() => Task.FromResult(CounterIncrementedProbe.Received.ContainsKey(key)), "the message was delivered after the restart");
        await Eventually.True(async () => await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxMessage\"") == 0, "the outbox is empty");
        await Consistently.True(() => CounterIncrementedProbe.Received[key].Count == 1, "the event arrived once",
            TimeSpan.FromMilliseconds(500));
        Assert.Single(CounterIncrementedProbe.Received[key]);
    }
}

public sealed class When_two_hosts_deliver_from_one_outbox : MessagingTest
{
    const int Messages = 400;

    [Fact]
    public async Task Should_deliver_every_message_exactly_once()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        await using (var writer = await MessagingTestHost.StartAsync(Db, VirtualHost, bus => bus.AddConsumer<CounterIncrementedProbe>(),
                         deliveryEnabled: false))
        {
            // Many small units of work, as many HTTP requests would commit them.
            for (var batch = 0; batch < Messages / 10; batch++)
            {
                await writer.InScope(async services =>
                {
                    var publish = services.GetRequiredService<IPublishEndpoint>();
                    for (var i = 0; i < 10; i++)
                        await publish.Publish(new CounterIncremented($"{run}-{batch * 10 + i}"));
                    return await services.GetRequiredService<TestDbContext>().SaveChangesAsync();
                });
            }
        }

        Assert.Equal(Messages, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxMessage\""));

        await using var first = await MessagingTestHost.StartAsync(Db, VirtualHost, bus => bus.AddConsumer<CounterIncrementedProbe>());
        await using var second = await MessagingTestHost.StartAsync(Db, VirtualHost, _ => { });

        await Eventually.True(async () => await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxMessage\"") == 0, "both hosts drained the outbox");
        await Eventually.True(
            () => Task.FromResult(Enumerable.Range(0, Messages).All(i => CounterIncrementedProbe.Received.ContainsKey($"{run}-{i}"))),
            "every message arrived");
        await Consistently.True(() => Enumerable.Range(0, Messages).All(i => CounterIncrementedProbe.Received[$"{run}-{i}"].Count == 1),
            "no message arrives a second time");

        var deliveries = Enumerable.Range(0, Messages).Select(i => CounterIncrementedProbe.Received[$"{run}-{i}"].Count).ToList();
        Assert.All(deliveries, count => Assert.Equal(1, count));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxState\""));
    }
}

using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests.Scaling;

/// <summary>
/// A consumer registered plainly — no definition, no UseShopOutbox — still runs with the standard endpoint policy: its
/// duplicate has no second effect, its publish goes through the outbox, and its effects commit with its inbox row.
/// </summary>
public sealed class When_a_consumer_is_added_without_a_definition : MessagingTest
{
    [Fact]
    public async Task Should_get_the_inbox_and_drop_a_duplicate()
    {
        await using var host = await MessagingTestHost.StartAsync(Db, VirtualHost, bus =>
        {
            bus.AddConsumer<PlainIncrementConsumer>();
            bus.AddConsumer<CounterIncrementedProbe>();
        });
        var key = $"plain-{Guid.NewGuid():N}";
        var messageId = NewId.NextGuid();

        await host.Bus.SendTo("plain-increment", new PlainIncrement(key), messageId);
        await host.Bus.SendTo("plain-increment", new PlainIncrement(key), messageId);
        var marker = $"marker-{Guid.NewGuid():N}";
        await host.Bus.SendTo("plain-increment", new PlainIncrement(marker));

        await Eventually.True(async () => await host.CounterValue(marker) == 1, "the marker was consumed");
        await Eventually.True(() => Task.FromResult(CounterIncrementedProbe.Received.ContainsKey(key)), "the event arrived");
        await Consistently.True(async () => await host.CounterValue(key) == 1, "the duplicate changed nothing");
        Assert.Single(CounterIncrementedProbe.Received[key]);
        Assert.Equal(1, await Db.ScalarAsync<long>($"SELECT count(*) FROM \"InboxState\" WHERE \"MessageId\" = '{messageId}'"));
        // The probe's queue is exempt (EndpointPolicyOptions): it has no inbox rows of its own.
        Assert.Equal(2, await Db.ScalarAsync<long>("SELECT count(*) FROM \"InboxState\""));
    }

    [Fact]
    public async Task Should_roll_back_a_failing_consumer_and_redeliver_it_durably()
    {
        await using var host = await MessagingTestHost.StartAsync(Db, VirtualHost, bus => bus.AddConsumer<PlainIncrementConsumer>());
        var key = $"plain-boom-{Guid.NewGuid():N}";

        await host.Bus.SendTo("plain-increment", new PlainIncrement(key, Explode: true));

        // The standard retry: a durable redelivery (written to the outbox, due in 5 s) after the failed attempt rolled back.
        await Eventually.True(async () => await Db.ScalarAsync<long>(
                "SELECT count(*) FROM \"OutboxMessage\" WHERE \"EnqueueTime\" IS NOT NULL AND \"Headers\" LIKE '%MT-Redelivery-Count%'") == 1,
            "the failed message waits for its durable redelivery");
        Assert.Null(await host.CounterValue(key));
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT count(*) FROM \"InboxState\""));
    }
}

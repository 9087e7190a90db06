using MassTransit;
using Shop.Messaging.Configuration;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests;

/// <summary>
/// <c>UseShopOutbox(context, o => o.ClaimInbox = false)</c>, for a consumer that claims the message by its id itself:
/// the unit of work and the outbox stay, the inbox row goes — and with it the inbox's protection, which is the point.
/// </summary>
public sealed class When_an_endpoint_goes_without_the_inbox_claim : MessagingTest
{
    [Fact]
    public async Task Should_commit_and_publish_without_an_inbox_row_and_leave_duplicates_to_the_consumer()
    {
        await using var host = await MessagingTestHost.StartAsync(Db, VirtualHost, bus =>
        {
            bus.AddConsumer<IncrementCounterConsumer, UnclaimedCounterConsumerDefinition>();
            bus.AddConsumer<CounterIncrementedProbe>();
        });
        var key = $"unclaimed-{Guid.NewGuid():N}";
        var messageId = NewId.NextGuid();

        await host.Bus.SendTo("increment-unclaimed", new IncrementCounter(key), messageId);
        await Eventually.True(async () => await host.CounterValue(key) == 1, "the first copy is consumed");
        await host.Bus.SendTo("increment-unclaimed", new IncrementCounter(key), messageId);

        await Eventually.True(async () => await host.CounterValue(key) == 2, "the second copy is consumed too: no inbox dropped it");
        await Eventually.True(() => Task.FromResult(CounterIncrementedProbe.Received.TryGetValue(key, out var events) && events.Count == 2),
            "each copy's event left through the outbox");
        Assert.Equal(0, await Db.ScalarAsync<long>($"SELECT count(*) FROM \"InboxState\" WHERE \"MessageId\" = '{messageId}'"));
    }

    /// <summary>The counter consumer of the other tests, on an endpoint of its own without the inbox claim.</summary>
    public sealed class UnclaimedCounterConsumerDefinition : ShopConsumerDefinition<IncrementCounterConsumer>
    {
        public UnclaimedCounterConsumerDefinition()
        {
            EndpointName = "increment-unclaimed";
            ConcurrentMessageLimit = 1;
        }

        protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<IncrementCounterConsumer> consumer,
            IRegistrationContext context)
        {
            base.ConfigureConsumer(endpoint, consumer, context);
            endpoint.UseShopOutbox(context, outbox => outbox.ClaimInbox = false);
        }
    }
}

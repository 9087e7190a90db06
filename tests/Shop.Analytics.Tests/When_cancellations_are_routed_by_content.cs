using System.Net;
using Shop.Analytics.Consumers;
using Shop.Contracts;
using Shop.Testing;

namespace Shop.Analytics.Tests;

/// <summary>
/// The operations feed on the real broker: the deployment declares the content route (scripts/broker-queues.sh with
/// scripts/broker-routes.tsv) before Analytics starts, and Analytics declares the same topology again without conflict.
/// A cancellation whose reason the feed takes reaches <c>/analytics/alerts</c>; others, published alike and logged by
/// Analytics' other queue, never reach the feed's queue.
/// </summary>
public sealed class When_cancellations_are_routed_by_content(When_cancellations_are_routed_by_content.Fixture analytics)
    : IClassFixture<When_cancellations_are_routed_by_content.Fixture>
{
    static readonly DateTimeOffset Day = new(2026, 9, 1, 9, 0, 0, TimeSpan.Zero);

    /// <summary>Declares the queues and routes as the deployment does, then starts Analytics.</summary>
    public sealed class Fixture : AnalyticsService
    {
        protected override Task BeforeStartAsync() => BrokerDeployment.DeclareQueuesAsync(VirtualHost);
    }

    [Fact]
    public async Task Should_deliver_only_the_matching_cancellations_to_the_feed()
    {
        var mismatch = OrderStory.Cancelled(Day, StoryEnd.CancelledAfterPayment, CancellationReason.PaymentAmountMismatch, new OrderLine("SKU-OPS", 1, 5m));
        var declined = OrderStory.Cancelled(Day, StoryEnd.CancelledAfterReserve, CancellationReason.PaymentDeclined, new OrderLine("SKU-OPS", 2, 5m));
        var outOfStock = OrderStory.Cancelled(Day, StoryEnd.CancelledAfterSubmit, CancellationReason.OutOfStock, new OrderLine("SKU-OPS", 3, 5m));

        // The feed's queue is consumed one at a time, in order: were the first two routed there, they would be consumed first.
        await analytics.PublishAndWait([declined, outOfStock, mismatch]);

        var mismatchCancelled = mismatch.Events().Single(x => x.Message is OrderCancelled).EventId;
        // Consumed twice: by the log's queue and by the feed's.
        await analytics.Consumed.WaitFor(mismatchCancelled, 2);
        var alerts = await analytics.GetAsync<List<AlertView>>("/analytics/alerts");
        var alert = Assert.Single(alerts, x => x.OrderId == mismatch.OrderId);
        Assert.Equal(CancellationReason.PaymentAmountMismatch, alert.Reason);
        Assert.Equal(mismatch.EndedAt, alert.CancelledAt);
        foreach (var other in new[] { declined, outOfStock })
        {
            // Published alike and logged (the log's queue takes every cancellation), never delivered to the feed.
            Assert.Equal(1, analytics.Consumed.Count(other.Events().Single(x => x.Message is OrderCancelled).EventId));
            Assert.DoesNotContain(alerts, x => x.OrderId == other.OrderId);
        }

        var cancellations = await analytics.GetAsync<List<Domain.CancellationCount>>("/analytics/cancellations");
        Assert.Contains(cancellations, x => x.Reason == CancellationReason.PaymentDeclined);
        Assert.Contains(cancellations, x => x.Reason == CancellationReason.OutOfStock);
        Assert.Equal(0, await analytics.VirtualHost.MessagesReadyAsync(OperationsFeed.QueueName));
        // The scrape is cached for a moment: ask until the counter shows.
        await Eventually.True(async () => (await analytics.Service.ClientFor(null).GetStringAsync("/metrics")).Split('\n')
            .Any(line => line.StartsWith("shop_analytics_alerts_total{", StringComparison.Ordinal) &&
                line.Contains("reason=\"PaymentAmountMismatch\"", StringComparison.Ordinal)), "the alerts counter");
    }

    [Fact]
    public async Task Should_keep_one_alert_per_order_and_only_for_operators()
    {
        var mismatch = OrderStory.Cancelled(Day.AddHours(1), StoryEnd.CancelledAfterPayment, CancellationReason.PaymentAmountMismatch,
            new OrderLine("SKU-OPS2", 1, 5m));
        var (eventId, cancelled) = mismatch.Events().Single(x => x.Message is OrderCancelled);

        await analytics.PublishAndWait(mismatch.Events());
        await analytics.Consumed.WaitFor(eventId, 2);
        // The same cancellation again under another id (a copy, not a redelivery): still one alert.
        var copy = Guid.NewGuid();
        await analytics.PublishAndWait([(copy, cancelled)]);
        await analytics.Consumed.WaitFor(copy, 2);

        var alerts = await analytics.GetAsync<List<AlertView>>("/analytics/alerts");
        Assert.Single(alerts, x => x.OrderId == mismatch.OrderId);
        Assert.Equal(HttpStatusCode.Forbidden, (await analytics.Service.ClientFor(TestTokens.Customer("ada")).GetAsync("/analytics/alerts")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await analytics.Service.ClientFor(null).GetAsync("/analytics/alerts")).StatusCode);
    }

    [Fact]
    public void Should_declare_the_route_the_consumer_binds()
    {
        var routes = BrokerDeployment.Lines("broker-routes.tsv");
        var queues = BrokerDeployment.Lines("broker-queues.tsv").Select(x => x[0]).ToList();

        Assert.Equal(OperationsFeed.Reasons.Select(reason => new[]
        {
            OperationsFeed.QueueName, OperationsFeed.MessageExchange, OperationsFeed.RoutedExchange, $"x-match=all,{OperationsFeed.ReasonHeader}={reason}",
        }), routes);
        Assert.Contains(OperationsFeed.QueueName, queues);
    }

    sealed record AlertView(Guid OrderId, string Reason, DateTimeOffset CancelledAt, DateTimeOffset RecordedAt);
}

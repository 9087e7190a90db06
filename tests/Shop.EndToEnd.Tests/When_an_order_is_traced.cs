using System.Diagnostics;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_an_order_is_traced(ShopFixture shop)
{
    /// <summary>The consumers that handle a completed order, one or more per service, as MassTransit names them in its spans.</summary>
    static readonly string[] ConsumersOfACompletedOrder =
    [
        "OrderStateMachine",                                    // Orders: the saga
        "Shop.Inventory.Consumers.ReserveStockConsumer",
        "Shop.Payments.Consumers.ChargePaymentConsumer",
        "Shop.Shipping.Consumers.CreateShipmentConsumer",
        "Shop.Inventory.Consumers.CommitStockConsumer",
        "Shop.Notifications.Consumers.OrderCompletedConsumer",
    ];

    [Fact]
    public async Task Should_put_the_request_and_every_step_in_all_five_services_in_one_trace()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 1);

        ActivityTraceId traceId;
        Guid orderId;
        using (var caller = SpanCollector.TestSource.StartActivity("submit order", ActivityKind.Client))
        {
            Assert.NotNull(caller);
            traceId = caller.TraceId;
            orderId = await shop.SubmitOrderAsync(sku);
        }

        Assert.Equal("Completed", (await shop.WaitForFinalStatusAsync(orderId)).Status);
        await shop.WaitForNotificationsAsync(orderId);

        IReadOnlyList<Activity> spans = [];
        await Eventually.True(() =>
            {
                spans = shop.Spans.InTrace(traceId);
                return Task.FromResult(ConsumersOfACompletedOrder.All(consumer => spans.Any(span => ConsumerOf(span) == consumer)));
            }, $"spans of every consumer in trace {traceId}",
            onTimeout: () => string.Join("; ", spans.Select(x => $"{x.Source.Name} {x.DisplayName} {ConsumerOf(x)}")));

        // The request carried the caller's context in (through HttpClient's own span): Orders' server span continues it.
        var request = Assert.Single(spans, span => span.Kind == ActivityKind.Server && span.DisplayName.StartsWith("POST /orders", StringComparison.Ordinal));
        Assert.True(request.HasRemoteParent, "the POST /orders span has no parent from the request headers");
        Assert.NotEqual(default, request.ParentSpanId);
        Assert.Contains(spans, span => span.Source.Name == "Npgsql");
        // The saga's commands and events left through the outbox and still joined the trace.
        Assert.Contains(spans, span => span.Kind == ActivityKind.Producer && span.OperationName.Contains("send", StringComparison.Ordinal));
        Assert.All(spans, span => Assert.Equal(traceId, span.TraceId));
    }

    static string? ConsumerOf(Activity span) => span.GetTagItem("messaging.masstransit.consumer_type") as string;
}

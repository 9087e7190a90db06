using System.Net;
using MassTransit;
using Shop.Contracts;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

public sealed class When_an_order_is_cancelled_over_http(OrdersServiceFixture orders) : IClassFixture<OrdersServiceFixture>
{
    [Fact]
    public async Task Should_cancel_an_order_in_progress_once()
    {
        var orderId = await orders.SubmitOrderAsync();
        await orders.WaitForStateAsync(orderId, "Submitted");

        var response = await orders.Http.PostAsync($"/orders/{orderId}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        // Compensating while the release of its stock is not confirmed, and shown so.
        await orders.WaitForStateAsync(orderId, "Compensating");
        var compensating = await (await orders.Http.GetAsync($"/orders/{orderId}")).ReadJsonAsync<OrderDetails>();
        Assert.Equal(("Compensating", CancellationReason.CustomerCancelled), (compensating.Status, compensating.CancellationReason));

        await orders.TestBus.Publish(new StockReleased(orderId, DateTimeOffset.UtcNow));
        await orders.WaitForStateAsync(orderId, "Cancelled");
        var order = await (await orders.Http.GetAsync($"/orders/{orderId}")).ReadJsonAsync<OrderDetails>();
        Assert.Equal(CancellationReason.CustomerCancelled, order.CancellationReason);
        await orders.TestBus.WaitFor<OrderCancelled>(x => x.OrderId == orderId, "OrderCancelled reached the test bus");
        await (await orders.Http.PostAsync($"/orders/{orderId}/cancel", null)).ReadProblemAsync(409);
    }

    [Fact]
    public async Task Should_cancel_an_order_whose_saga_has_not_started_yet()
    {
        var orderId = await orders.SubmitOrderAsync();

        var response = await orders.Http.PostAsync($"/orders/{orderId}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await orders.WaitForStateAsync(orderId, "Compensating");
        await orders.TestBus.Publish(new StockReleased(orderId, DateTimeOffset.UtcNow));
        await orders.WaitForStateAsync(orderId, "Cancelled");
    }

    [Fact]
    public async Task Should_refuse_to_cancel_a_completed_order()
    {
        var orderId = await orders.SubmitOrderAsync();
        await orders.WaitForStateAsync(orderId, "Submitted");
        await orders.TestBus.Publish(new StockReserved(orderId, DateTimeOffset.UtcNow));
        await orders.WaitForStateAsync(orderId, "Reserved");
        await orders.TestBus.Publish(new PaymentCaptured(orderId, NewId.NextGuid(), 25.50m, DateTimeOffset.UtcNow));
        await orders.WaitForStateAsync(orderId, "Paid");
        await orders.TestBus.Publish(new ShipmentCreated(orderId, NewId.NextGuid(), "TRACK-42", DateTimeOffset.UtcNow));
        await orders.WaitForStateAsync(orderId, "Completed");

        await (await orders.Http.PostAsync($"/orders/{orderId}/cancel", null)).ReadProblemAsync(409);
        var order = await (await orders.Http.GetAsync($"/orders/{orderId}")).ReadJsonAsync<OrderDetails>();
        Assert.Equal("Completed", order.Status);
        Assert.Equal("TRACK-42", order.TrackingNumber);
        Assert.NotNull(order.PaymentId);
    }

    [Fact]
    public async Task Should_answer_404_for_an_unknown_order() =>
        await (await orders.Http.PostAsync($"/orders/{Guid.NewGuid()}/cancel", null)).ReadProblemAsync(404);

    [Fact]
    public async Task Should_answer_400_for_a_malformed_order_id() =>
        await (await orders.Http.PostAsync("/orders/42/cancel", null)).ReadProblemAsync(400);
}

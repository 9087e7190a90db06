using System.Net;
using System.Text.Json;
using Shop.Admin.Cli;
using Shop.Admin.Tests;
using Shop.Contracts;
using Shop.Notifications.Domain;
using Shop.Payments.Domain;
using Shop.Shipping.Domain;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// Shipping stopped: a paid order's shipment deadline moves it to Compensating. Its payment is refunded and its stock
/// released, but its shipment's cancellation waits in Shipping's queue, so it is listed as stuck and no cancellation is
/// announced. Shipping restarted, the order ends Cancelled, and only then is the customer notified.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class When_shipping_is_down(ShopFixture shop)
{
    static readonly TimeSpan PastTheDeadline = ShopFixture.ShipmentDeadline + TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Should_compensate_the_order_and_announce_the_cancellation_only_once_shipping_confirms()
    {
        var admin = new AdminTool(shop.VirtualHost);
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 5);
        await shop.StopShippingAsync();
        try
        {
            var orderId = await shop.SubmitOrderAsync(sku, quantity: 2);

            var compensating = await Eventually.Value(async () => await shop.GetOrderAsync(orderId) is { Status: "Compensating" } o ? o : null,
                $"order {orderId} to be Compensating", PastTheDeadline);
            Assert.Equal(CancellationReason.ShipmentTimeout, compensating.CancellationReason);

            // Payments and Inventory answered; the shipment's cancellation is what the order waits for.
            await shop.WaitForPaymentsAsync(orderId, p => p.Any(x => x.Kind == PaymentRecordKind.Refund), "the capture refunded");
            await shop.WaitForStockAsync(sku, onHand: 5, reserved: 0);

            // Past the compensation deadline it is escalated and listed as stuck, whatever its age.
            AdminRun? stuck = null;
            await Eventually.True(async () => (stuck = await StuckAsync()).Output.Contains($"{orderId}  Compensating (escalated)"),
                $"order {orderId} listed as stuck", onTimeout: () => $"{stuck}");
            Assert.Equal(ExitCodes.StuckOrders, stuck!.ExitCode);

            // In plain sight: readiness Degraded (still HTTP 200) by the stuck order, and the gauge of its state.
            await Eventually.True(async () => await ReadyAsync() is (HttpStatusCode.OK, "Degraded"), "stuck-orders Degraded in /health/ready");
            await Eventually.True(async () => (await shop.Orders.GetStringAsync("/metrics")).Split('\n')
                    .Any(line => line.StartsWith("shop_orders_open{", StringComparison.Ordinal) && line.Contains("state=\"Compensating\"") && !line.EndsWith(" 0")),
                "shop_orders_open{state=Compensating} counts the order");

            Assert.Equal("Compensating", (await shop.GetOrderAsync(orderId)).Status);
            Assert.Empty(await shop.GetNotificationsAsync(orderId));
            Assert.DoesNotContain((await shop.GetHistoryAsync(orderId)).Entries, x => x.Name == nameof(OrderCancelled));

            await shop.StartShippingAsync();

            var order = await shop.WaitForFinalStatusAsync(orderId);
            Assert.Equal(("Cancelled", CancellationReason.ShipmentTimeout), (order.Status, order.CancellationReason));
            var payments = await shop.GetPaymentsAsync(orderId);
            Assert.Single(payments, x => x.Kind == PaymentRecordKind.Capture);
            Assert.Equal(0m, payments.NetCaptured());
            await shop.WaitForStockAsync(sku, onHand: 5, reserved: 0);
            Assert.All(await shop.GetShipmentsAsync(orderId), x => Assert.NotEqual(ShipmentStatus.Created, x.Status));

            // The notification follows the last confirmation (ShipmentCancelled), never the decision to cancel.
            var notification = Assert.Single(await shop.WaitForNotificationsAsync(orderId));
            Assert.Equal(NotificationKind.Cancelled, notification.Kind);
            var history = await shop.GetHistoryAsync(orderId);
            var cancelled = history.Entries.Single(x => x is { Kind: "Transitioned", Name: "Cancelled" });
            Assert.Equal("from Compensating, ShipmentTimeout", cancelled.Detail);
            // One ShipmentCancelled, or two when the queued CreateShipment was consumed first and its shipment cancelled too.
            Assert.Contains(history.Entries, x => x is { Kind: "Received", Name: "ShipmentCancelled" } && x.Sequence == cancelled.Sequence - 2);
            Assert.True(notification.SentAt >= cancelled.At, $"notified at {notification.SentAt:O}, cancelled at {cancelled.At:O}");
            Assert.DoesNotContain((await StuckAsync()).Output, orderId.ToString());
        }
        finally
        {
            await shop.StartShippingAsync();
        }

        async Task<(HttpStatusCode, string?)> ReadyAsync()
        {
            using var response = await shop.Orders.GetAsync("/health/ready");
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return (response.StatusCode, body.RootElement.GetProperty("checks").GetProperty("stuck-orders").GetProperty("status").GetString());
        }

        Task<AdminRun> StuckAsync() => admin.RunAsync("orders", "stuck", "--orders-db", shop.OrdersDatabase.ConnectionString);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Shop.Inventory.Apis;
using Shop.Notifications.Apis;
using Shop.Orders.Apis;
using Shop.Payments.Apis;
using Shop.Payments.Domain;
using Shop.Shipping.Apis;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// What a test does to the shop and reads from it, all over the services' public HTTP APIs (and the saga table), beyond
/// what <see cref="ShopStack"/> offers (prices, orders and their status).
/// </summary>
public static class ShopRequests
{
    public const string ValidToken = "tok_visa";

    /// <summary>The provider captures and never answers: Payments has to find the charge by its key.</summary>
    public const string LostAnswerToken = "tok_timeout";

    public const string DeclinedToken = "tok_chargeDeclined";
    public const string ShippableCountry = "DE";

    static readonly JsonSerializerOptions Json = ShopStack.Json;

    static readonly string[] FinalStatuses = ["Completed", "Cancelled"];

    /// <summary>The catalog price <see cref="SetStockAsync"/> gives a new SKU.</summary>
    public const decimal UnitPrice = 12.50m;

    /// <summary>A SKU no other test touches (upper case: the spelling the shop keeps).</summary>
    public static string NewSku() => $"E2E-{Guid.NewGuid():N}"[..20].ToUpperInvariant();

    /// <summary>Sets the units on hand; a SKU without a price gets <see cref="UnitPrice"/> first, known to Orders before this returns.</summary>
    public static async Task<StockView> SetStockAsync(this ShopFixture shop, string sku, int onHand)
    {
        if ((await shop.Inventory.GetAsync($"/products/{sku}")).StatusCode == HttpStatusCode.NotFound)
            await shop.SetPriceAsync(sku, UnitPrice);

        var response = await shop.Inventory.PutAsJsonAsync($"/stock/{sku}", new { onHand }, Json);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<StockView>(Json))!;
    }

    public static Task<OrderDetails> WaitForFinalStatusAsync(this ShopFixture shop, Guid orderId) =>
        shop.WaitForStatusAsync(orderId, FinalStatuses);

    public static async Task<OrderHistory> GetHistoryAsync(this ShopFixture shop, Guid orderId) =>
        (await shop.Orders.GetFromJsonAsync<OrderHistory>($"/orders/{orderId}/history", Json))!;

    public static async Task<(string? State, string? CancellationReason)> SagaRowAsync(this ShopFixture shop, Guid orderId)
    {
        await using var connection = new NpgsqlConnection(shop.OrdersDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT "CurrentState", "CancellationReason" FROM "OrderState" WHERE "CorrelationId" = @id""", connection);
        command.Parameters.AddWithValue("id", orderId);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"No saga row for order {orderId}.");
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    public static async Task<StockView> GetStockAsync(this ShopFixture shop, string sku) =>
        (await shop.Inventory.GetFromJsonAsync<StockView>($"/stock/{sku}", Json))!;

    /// <summary>Polls until the stock of <paramref name="sku"/> is <paramref name="onHand"/> on hand with <paramref name="reserved"/> reserved.</summary>
    public static async Task<StockView> WaitForStockAsync(this ShopFixture shop, string sku, int onHand, int reserved)
    {
        StockView? last = null;
        return await Eventually.Value(async () =>
            (last = await shop.GetStockAsync(sku)) is { } s && s.OnHand == onHand && s.Reserved == reserved ? s : null,
            $"stock of {sku} to be {onHand} on hand, {reserved} reserved", onTimeout: () => $"{last}");
    }

    public static async Task<PaymentView[]> GetPaymentsAsync(this ShopFixture shop, Guid orderId) =>
        (await shop.Payments.GetFromJsonAsync<PaymentView[]>($"/payments?orderId={orderId}", Json))!;

    /// <summary>Captured minus refunded for the order.</summary>
    public static decimal NetCaptured(this IEnumerable<PaymentView> payments) =>
        payments.Where(x => x.Kind == PaymentRecordKind.Capture).Sum(x => x.Amount)
        - payments.Where(x => x.Kind == PaymentRecordKind.Refund).Sum(x => x.Amount);

    /// <summary>Polls until the order's payment ledger satisfies <paramref name="settled"/>.</summary>
    public static Task<PaymentView[]> WaitForPaymentsAsync(this ShopFixture shop, Guid orderId, Func<PaymentView[], bool> settled,
        string description) =>
        Eventually.Value(async () => await shop.GetPaymentsAsync(orderId) is var p && settled(p) ? p : null,
            $"payments of order {orderId}: {description}");

    public static async Task<List<ShipmentResponse>> GetShipmentsAsync(this ShopFixture shop, Guid orderId) =>
        (await shop.Shipping.GetFromJsonAsync<List<ShipmentResponse>>($"/shipments?orderId={orderId}", Json))!;

    public static async Task<List<NotificationResponse>> GetNotificationsAsync(this ShopFixture shop, Guid orderId) =>
        (await shop.Notifications.GetFromJsonAsync<List<NotificationResponse>>($"/notifications?orderId={orderId}", Json))!;

    /// <summary>Waits for the order's first notification, then returns all of them.</summary>
    public static async Task<List<NotificationResponse>> WaitForNotificationsAsync(this ShopFixture shop, Guid orderId)
    {
        await Eventually.True(async () => (await shop.GetNotificationsAsync(orderId)).Count > 0, $"a notification about order {orderId}");
        return await shop.GetNotificationsAsync(orderId);
    }
}

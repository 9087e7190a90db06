using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Shop.Orders;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

/// <summary>
/// Orders with a short <c>Orders:StuckAfter</c>: an order nobody answers stays in Submitted past it (its stock deadline is
/// a minute), so the sample behind the gauges counts it and <c>/health/ready</c> turns Degraded — still HTTP 200. (The
/// gauges themselves are scraped end to end, where one Orders runs.)
/// </summary>
public sealed class When_an_order_is_stuck() : DatabaseAndVirtualHost("shop_orders_stuck"), IAsyncLifetime
{
    InProcessService _orders = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _orders = Own(await InProcessService.StartAsync("Orders", Database, VirtualHost, OrdersApp.Build,
            new Dictionary<string, string?> { ["Orders:StuckAfter"] = "00:00:02", ["Orders:StuckSampleInterval"] = "00:00:00.250" }));
    }

    [Fact]
    public async Task Should_turn_readiness_degraded_and_count_it_in_its_state()
    {
        await Eventually.True(async () => await StuckCheckAsync() is (HttpStatusCode.OK, "Healthy", _), "stuck-orders Healthy with no orders");
        // The bodies' SKUs in the price list, as Inventory's ProductUpdated events would have left them.
        await Database.ExecuteAsync("""
            INSERT INTO "Prices" ("Sku", "Name", "UnitPrice", "Version", "UpdatedAt")
            VALUES ('SKU-1', 'one', 5.00, 1, now()), ('SKU-2', 'two', 15.50, 1, now())
            """);

        using var content = new StringContent(OrderBodies.Valid().ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        var orderId = (await (await _orders.ClientFor(TestTokens.Customer("customer-1")).PostAsync("/orders", content)).ReadJsonAsync<OrderAccepted>()).OrderId;
        await Eventually.True(async () => await Database.ScalarAsync<string>(
            $"SELECT \"CurrentState\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'") == "Submitted", "the order Submitted");
        // The sample behind the gauges (read from this instance: the /metrics of several Orders in one test process
        // would mix their meters, which share a name).
        var metrics = _orders.Services.GetRequiredService<OrderMetrics>();
        await Eventually.True(() => Task.FromResult(metrics.OpenOrders?.States.SingleOrDefault(x => x.Name == "Submitted")?.Count == 1),
            "the sampler counts the order in Submitted");
        Assert.Equal(["Submitted", "Reserved", "Paid", "Compensating"], metrics.OpenOrders!.States.Select(x => x.Name));

        (HttpStatusCode, string?, string?) seen = default;
        await Eventually.True(async () => (seen = await StuckCheckAsync()) is (HttpStatusCode.OK, "Degraded", _),
            "stuck-orders Degraded once the order is older than Orders:StuckAfter", onTimeout: () => $"{seen}");
        Assert.Contains("1 open order(s)", seen.Item3);
        Assert.Contains("limit 2 s", seen.Item3);
    }

    async Task<(HttpStatusCode Status, string? Check, string? Description)> StuckCheckAsync()
    {
        using var response = await _orders.Http.GetAsync("/health/ready");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var check = body.RootElement.GetProperty("checks").GetProperty("stuck-orders");
        return (response.StatusCode, check.GetProperty("status").GetString(), check.GetProperty("description").GetString());
    }
}

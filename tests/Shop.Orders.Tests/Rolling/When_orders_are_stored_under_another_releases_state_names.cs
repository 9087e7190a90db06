using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.Orders;
using Shop.Orders.Data;
using Shop.Orders.Saga;
using Shop.Testing;

namespace Shop.Orders.Tests.Rolling;

/// <summary>
/// A rolling upgrade: instances of the previous release store orders under state names this one renamed (StockReserved,
/// now Reserved), and a newer release may store names this one has never heard of. The current Orders loads the former
/// names and moves those orders on; the open-orders sample counts every non-terminal name, unknown ones too, and says so.
/// </summary>
public sealed class When_orders_are_stored_under_another_releases_state_names() : DatabaseAndVirtualHost("shop_orders_rolling"), IAsyncLifetime
{
    InProcessService _orders = null!;
    TestBus _bus = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _bus = Own(await TestBus.StartAsync(VirtualHost, queueName: "orders-rolling-observer"));
        _orders = Own(await InProcessService.StartAsync("Orders", Database, VirtualHost, OrdersApp.Build,
            new Dictionary<string, string?> { ["Orders:StuckSampleInterval"] = "00:00:00.250" }));
    }

    [Fact]
    public async Task Should_load_an_order_stored_as_StockReserved_and_move_it_on()
    {
        var orderId = await StoreOrder("StockReserved");

        await _bus.Publish(new PaymentDeclined(orderId, "card declined", DateTimeOffset.UtcNow));

        // Loaded as Reserved: the decline releases the stock and the order waits for that in Compensating.
        await Eventually.True(async () => await StateOf(orderId) == nameof(OrderStateMachine.Compensating),
            "the order stored under the former name took the decline");
        Assert.Equal(0, await VirtualHost.MessagesReadyAsync("order-state_error"));
    }

    [Fact]
    public async Task Should_count_former_and_unknown_names_as_open_and_report_the_unknown_one()
    {
        await StoreOrder("StockReserved");
        await StoreOrder("AwaitingFraudCheck");

        var metrics = _orders.Services.GetRequiredService<OrderMetrics>();
        await Eventually.True(() => Task.FromResult(metrics.OpenOrders?.States.Any(x => x.Name == "AwaitingFraudCheck" && x.Count == 1) == true),
            "the sample counts the order in the unknown state");
        var states = metrics.OpenOrders!.States;
        Assert.Equal(1, states.Single(x => x.Name == nameof(OrderStateMachine.Reserved)).Count);
        Assert.DoesNotContain(states, x => x.Name == "StockReserved");

        using var response = await _orders.Http.GetAsync("/health/ready");
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var check = body.RootElement.GetProperty("checks").GetProperty("stuck-orders");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains("AwaitingFraudCheck, unknown to this release", check.GetProperty("description").GetString());
    }

    /// <summary>Stores an order as another release's instance would have, under <paramref name="state"/>.</summary>
    async Task<Guid> StoreOrder(string state)
    {
        var orderId = Guid.NewGuid();
        await using var scope = _orders.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        db.OrderStates.Add(new OrderState
        {
            CorrelationId = orderId,
            CurrentState = state,
            Version = 3,
            CustomerId = "customer-1",
            Email = "customer-1@example.com",
            Total = 20.50m,
            Lines = [new OrderLine("SKU-1", 1, 5.00m)],
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync();
        return orderId;
    }

    Task<string?> StateOf(Guid orderId) =>
        Database.ScalarAsync<string>($"SELECT \"CurrentState\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'");
}

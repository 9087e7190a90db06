using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Shop.Orders.Apis;
using Shop.Orders.Saga;
using Shop.Orders.Tests.Api;
using Shop.Testing;

namespace Shop.Orders.Tests.Deadlines;

/// <summary>
/// The deadline poller against PostgreSQL and RabbitMQ: Orders runs in-process with a 2 s stock-reservation deadline and
/// nobody answering ReserveStock, so each order waits in Submitted until its deadline on the row passes, and the
/// poller's timeout moves it on. Pollers racing (the service's own and two more, as instances would) send each timeout
/// once: a row one of them holds is skipped by the others.
/// </summary>
public sealed class When_an_order_passes_its_deadline() : DatabaseAndVirtualHost("shop_orders_deadline"), IAsyncLifetime
{
    static readonly TimeSpan StockReservationDeadline = TimeSpan.FromSeconds(2);

    InProcessService _orders = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _orders = Own(await InProcessService.StartAsync("Orders", Database, VirtualHost, OrdersApp.Build, new Dictionary<string, string?>
        {
            ["Orders:Deadlines:StockReservation"] = StockReservationDeadline.ToString("c"),
            ["Orders:DeadlinePollInterval"] = "00:00:00.200",
            ["Orders:RateLimits:Submit:PermitLimit"] = "100000",
        }));
        // The bodies' SKUs in the price list, as Inventory's ProductUpdated events would have left them.
        await Database.ExecuteAsync("""
            INSERT INTO "Prices" ("Sku", "Name", "UnitPrice", "Version", "UpdatedAt")
            VALUES ('SKU-1', 'one', 5.00, 1, now()), ('SKU-2', 'two', 15.50, 1, now())
            """);
    }

    [Fact]
    public async Task Should_cancel_it_once_and_set_the_compensation_deadline()
    {
        var submittedBefore = DateTimeOffset.UtcNow;
        var orderId = await SubmitAsync();
        await Eventually.True(async () => await StateAsync(orderId) == "Submitted", "the order Submitted");
        var deadline = await DeadlineAsync(orderId);
        Assert.InRange(deadline!.Value, submittedBefore + StockReservationDeadline, DateTimeOffset.UtcNow + StockReservationDeadline);

        await Eventually.True(async () => await StateAsync(orderId) == "Compensating", "the order Compensating once its deadline passed");
        Assert.True(DateTimeOffset.UtcNow >= deadline, "not before its deadline");
        Assert.Equal("StockTimeout", await Database.ScalarAsync<string>(
            $"SELECT \"CancellationReason\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'"));
        // Compensating waits under its own deadline (3 min by default), set as the saga entered it.
        Assert.True(await DeadlineAsync(orderId) > deadline + TimeSpan.FromMinutes(2));
        Assert.Equal(1, await TimeoutsReceivedAsync(orderId));
    }

    [Fact]
    public async Task Should_name_the_earliest_deadline_when_none_is_due()
    {
        var orderId = await SubmitAsync();
        await Eventually.True(async () => await StateAsync(orderId) == "Submitted", "the order Submitted");
        var far = new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero);
        await Database.ExecuteAsync($"""UPDATE "OrderState" SET "DeadlineAt" = '{far:O}' WHERE "CorrelationId" = '{orderId}'""");

        // What the poller sleeps until (capped by Orders:DeadlinePollInterval), so a deadline fires when due, not a poll later.
        var poller = _orders.Services.GetRequiredService<OrderDeadlinePoller>();
        Assert.Equal((0, far), await poller.SendDueTimeoutsAsync(CancellationToken.None));
        Assert.Equal(far, await DeadlineAsync(orderId));
    }

    [Fact]
    public async Task Should_re_arm_a_deadline_left_from_the_previous_state()
    {
        var orderId = await SubmitAsync();
        await Eventually.True(async () => await StateAsync(orderId) == "Submitted", "the order Submitted");
        var stale = await DeadlineAsync(orderId);

        // As an instance of the previous release moves it during a rolling upgrade: a new state, the deadline left as it was.
        Assert.Equal(1, await Database.ExecuteAsync($"""
            UPDATE "OrderState" SET "CurrentState" = 'Reserved', "UpdatedAt" = now(), "Version" = "Version" + 1
            WHERE "CorrelationId" = '{orderId}' AND "CurrentState" = 'Submitted'
            """));
        var entered = new DateTimeOffset((await Database.ScalarAsync<DateTime>(
            $"SELECT \"UpdatedAt\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'")), TimeSpan.Zero);

        await Eventually.True(async () => await DeadlineAsync(orderId) != stale, "the stale deadline re-armed");
        Assert.Equal(entered + new OrdersOptions().PaymentTimeout, await DeadlineAsync(orderId));
        Assert.Equal("Reserved", await StateAsync(orderId));
        Assert.Equal(0, await Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"OrderTimeline\" WHERE \"OrderId\" = '{orderId}' AND \"Name\" LIKE '%TimeoutExpired'"));
    }

    [Fact]
    public async Task Should_send_each_timeout_once_when_pollers_race()
    {
        var orders = new List<Guid>();
        for (var i = 0; i < 20; i++)
            orders.Add(await SubmitAsync());
        await Eventually.True(async () => await Database.ScalarAsync<long>("""SELECT count(*) FROM "OrderState" """) == orders.Count,
            "every order's saga started");

        // Two more pollers beside the service's own, polling as fast as they can until every order has moved on.
        var poller = _orders.Services.GetRequiredService<OrderDeadlinePoller>();
        using var done = new CancellationTokenSource();
        var sent = 0;
        var racers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
                Interlocked.Add(ref sent, (await poller.SendDueTimeoutsAsync(CancellationToken.None)).Taken);
        })).ToList();
        await Eventually.True(async () => await Database.ScalarAsync<long>(
                """SELECT count(*) FROM "OrderState" WHERE "CurrentState" = 'Compensating'""") == orders.Count,
            "every order Compensating", TimeSpan.FromSeconds(30));
        await done.CancelAsync();
        await Task.WhenAll(racers);

        Assert.InRange(sent, 0, orders.Count);
        foreach (var orderId in orders)
            Assert.Equal(1, await TimeoutsReceivedAsync(orderId));
        Assert.Equal(orders.Count, await Database.ScalarAsync<long>(
            """SELECT count(*) FROM "OrderTimeline" WHERE "Kind" = 'Received' AND "Name" = 'StockReservationTimeoutExpired'"""));
    }

    async Task<Guid> SubmitAsync()
    {
        using var content = new StringContent(OrderBodies.Valid().ToJsonString(), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await _orders.ClientFor(TestTokens.Customer("customer-1")).PostAsync("/orders", content);
        return (await response.ReadJsonAsync<OrderAccepted>()).OrderId;
    }

    Task<string?> StateAsync(Guid orderId) =>
        Database.ScalarAsync<string>($"SELECT \"CurrentState\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'");

    async Task<DateTimeOffset?> DeadlineAsync(Guid orderId) =>
        await Database.ScalarAsync<DateTime?>($"SELECT \"DeadlineAt\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'") is { } at
            ? new DateTimeOffset(at, TimeSpan.Zero)
            : null;

    Task<long> TimeoutsReceivedAsync(Guid orderId) => Database.ScalarAsync<long>(
        $"SELECT count(*) FROM \"OrderTimeline\" WHERE \"OrderId\" = '{orderId}' AND \"Kind\" = 'Received' AND \"Name\" = 'StockReservationTimeoutExpired'");
}

using System.Net.Http.Json;
using Shop.Testing;

namespace Shop.Audit.Tests;

/// <summary>The audit's idea of a consistent shop is the one the real services leave behind, on every path of the flow.</summary>
public sealed class When_real_orders_went_through_the_shop(RunningShop shop) : IClassFixture<RunningShop>, IAsyncLifetime
{
    readonly List<Guid> _orders = [];

    public async Task InitializeAsync()
    {
        const string sku = "AUDIT-001";
        await shop.SetPriceAsync(sku, 12.50m);
        // In the catalog, never in stock: cancelled as out of stock (an unpriced SKU would be refused at the door).
        await shop.SetPriceAsync("NO-SUCH-SKU", 3.00m);
        (await shop.Inventory.PutAsJsonAsync($"/stock/{sku}", new { onHand = 50 })).EnsureSuccessStatusCode();

        _orders.Add(await shop.SubmitOrderAsync(sku, quantity: 2));
        _orders.Add(await shop.SubmitOrderAsync(sku, quantity: 2));
        _orders.Add(await shop.SubmitOrderAsync(sku, quantity: 2, "tok_chargeDeclined"));
        _orders.Add(await shop.SubmitOrderAsync("NO-SUCH-SKU", quantity: 2));
        _orders.Add(await shop.SubmitOrderAsync(sku, quantity: 2, country: "AQ"));
        _orders.Add(await shop.SubmitOrderAsync(sku, quantity: 2, "tok_timeout"));

        var cancelled = await shop.SubmitOrderAsync(sku, quantity: 2, "tok_timeout");
        await shop.WaitForStatusAsync(cancelled, "Reserved");
        (await shop.Orders.PostAsync($"/orders/{cancelled}/cancel", null)).EnsureSuccessStatusCode();
        _orders.Add(cancelled);

        (await shop.Inventory.PutAsJsonAsync($"/stock/{sku}", new { onHand = 60 })).EnsureSuccessStatusCode();
        foreach (var orderId in _orders)
            await shop.WaitForStatusAsync(orderId, "Completed", "Cancelled");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Should_pass_once_the_last_replies_are_in()
    {
        AuditRun? last = null;
        await Eventually.True(async () => (last = await shop.AuditAsync()).ExitCode == AuditCommand.Passed, "a passing audit",
            onTimeout: () => $"{Environment.NewLine}{last?.Output}");

        Assert.Equal(_orders.Count, last!.Checked("terminal"));
        Assert.Equal(2, last.Checked("completed-fulfilled"));
        Assert.Equal(5, last.Checked("cancelled-nets-to-zero"));
        Assert.Equal(5, last.Checked("provider-cancelled-nets-to-zero"));
        Assert.Equal(2, last.Checked("provider-completed"));
        Assert.Equal(_orders.Count, last.Checked("ledger-matches-provider"));
        Assert.Empty(last.Findings);
    }
}

using Shop.Contracts;
using Shop.Testing;

namespace Shop.Inventory.Tests;

[Collection(InventoryCollection.Name)]
public sealed class When_stock_is_set_by_an_operator(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_record_each_change_as_an_adjustment()
    {
        var sku = await fixture.NewSku(5);

        (await fixture.SetOnHand(sku, 12)).EnsureSuccessStatusCode();
        (await fixture.SetOnHand(sku, 3)).EnsureSuccessStatusCode();
        (await fixture.SetOnHand(sku, 3)).EnsureSuccessStatusCode();

        Assert.Equal(["+5 → 5 set", "+7 → 12 set", "-9 → 3 set"], await Adjustments(fixture.Database, sku));
    }

    [Fact]
    public async Task Should_record_nothing_when_the_change_is_refused()
    {
        var sku = await fixture.NewSku(5);
        var orderId = Guid.NewGuid();
        await fixture.Reserve(orderId, new StockLine(sku, 3));
        await fixture.Bus.WaitFor<StockReserved>(x => x.OrderId == orderId, "StockReserved");

        Assert.False((await fixture.SetOnHand(sku, 2)).IsSuccessStatusCode);

        Assert.Equal(["+5 → 5 set"], await Adjustments(fixture.Database, sku));
    }

    [Fact]
    public async Task Should_keep_on_hand_plus_committed_equal_to_the_adjustments()
    {
        var sku = await fixture.NewSku(10);
        var orderId = Guid.NewGuid();
        await fixture.Reserve(orderId, new StockLine(sku, 4));
        await fixture.Bus.WaitFor<StockReserved>(x => x.OrderId == orderId, "StockReserved");
        await fixture.Committed(await fixture.Commit(orderId));

        (await fixture.SetOnHand(sku, 8)).EnsureSuccessStatusCode();

        Assert.Equal(["+10 → 10 set", "+2 → 8 set"], await Adjustments(fixture.Database, sku));
        Assert.Equal(12, await fixture.Database.ScalarAsync<long>($"""SELECT SUM("Quantity") FROM "StockAdjustments" WHERE "Sku" = '{sku}'"""));
        Assert.Equal(8 + 4, await fixture.Database.ScalarAsync<long>(
            $"""SELECT "OnHand" + (SELECT SUM("Quantity") FROM "ReservationLines" WHERE "Sku" = '{sku}') FROM "Stock" WHERE "Sku" = '{sku}'"""));
    }

    /// <summary>The SKU's adjustments in order, as "+quantity → on hand reason".</summary>
    public static async Task<IReadOnlyList<string>> Adjustments(TestDatabase database, string sku) =>
        (await database.ScalarAsync<string>($"""
            SELECT string_agg(CASE WHEN "Quantity" >= 0 THEN '+' ELSE '' END || "Quantity" || ' → ' || "OnHand" || ' ' || "Reason", '|' ORDER BY "Id")
            FROM "StockAdjustments" WHERE "Sku" = '{sku}'
            """) ?? "").Split('|', StringSplitOptions.RemoveEmptyEntries);
}

public sealed class When_the_service_seeds_stock
{
    [Fact]
    public async Task Should_record_the_seed_as_one_adjustment_per_new_SKU()
    {
        await using var database = await TestDatabase.CreateAsync("inventory_ledger");
        await using var virtualHost = await TestVirtualHost.CreateAsync("inventory-ledger");
        var settings = new Dictionary<string, string?> { ["Inventory:Seed:Count"] = "2", ["Inventory:Seed:OnHand"] = "50" };

        await (await InventoryFixture.StartService(database, virtualHost, settings)).DisposeAsync();
        await using var restarted = await InventoryFixture.StartService(database, virtualHost, settings);

        Assert.Equal(["+50 → 50 seed"], await When_stock_is_set_by_an_operator.Adjustments(database, "SKU-001"));
        Assert.Equal(["+50 → 50 seed"], await When_stock_is_set_by_an_operator.Adjustments(database, "SKU-002"));
    }
}

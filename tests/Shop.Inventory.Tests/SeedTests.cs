using System.Net;
using System.Net.Http.Json;
using Shop.Inventory.Apis;
using Shop.Testing;

namespace Shop.Inventory.Tests;

public sealed class When_the_service_starts_with_seed_settings
{
    [Fact]
    public async Task Should_create_the_missing_SKUs_and_leave_existing_ones_alone()
    {
        await using var database = await TestDatabase.CreateAsync("inventory_seed");
        await using var virtualHost = await TestVirtualHost.CreateAsync("inventory-seed");

        await using (var first = await InventoryFixture.StartService(database, virtualHost, Seed(count: 3)))
        {
            Assert.Equal(new("SKU-003", 50, 0, 50), await first.Http.GetFromJsonAsync<StockView>("/stock/SKU-003", InventoryFixture.Json));
            Assert.Equal(HttpStatusCode.NotFound, (await first.Http.GetAsync("/stock/SKU-004")).StatusCode);
            (await first.Http.PutAsJsonAsync("/stock/SKU-002", new { onHand = 7 })).EnsureSuccessStatusCode();
        }

        await using var second = await InventoryFixture.StartService(database, virtualHost, Seed(count: 4));

        Assert.Equal(7, (await second.Http.GetFromJsonAsync<StockView>("/stock/SKU-002", InventoryFixture.Json))!.OnHand);
        Assert.Equal(50, (await second.Http.GetFromJsonAsync<StockView>("/stock/SKU-004", InventoryFixture.Json))!.OnHand);
        Assert.Equal(4, await database.ScalarAsync<long>("""SELECT COUNT(*) FROM "Stock" """));
    }

    [Fact]
    public async Task Should_price_the_seeded_SKUs_and_publish_the_catalog_at_start_up()
    {
        await using var database = await TestDatabase.CreateAsync("inventory_seed_prices");
        await using var virtualHost = await TestVirtualHost.CreateAsync("inventory-seed-prices");
        // The subscriber a fresh Orders database would be: it joins before Inventory starts, and must get every price.
        await using var subscriber = await TestBus.StartAsync(virtualHost, (bus, endpoint) => bus.Observe<Shop.Contracts.ProductUpdated>(endpoint));

        await using var inventory = await InventoryFixture.StartService(database, virtualHost, Seed(count: 3));

        var product = await inventory.Http.GetFromJsonAsync<ProductView>("/products/SKU-002", InventoryFixture.Json);
        Assert.Equal(("SKU-002", 12.50m, 1L), (product!.Sku, product.UnitPrice, product.Version));
        var published = await subscriber.WaitForCount<Shop.Contracts.ProductUpdated>(_ => true, 3, "the catalog published");
        Assert.Equal(["SKU-001", "SKU-002", "SKU-003"], published.Select(x => x.Sku).Order());
        Assert.All(published, x => Assert.Equal(12.50m, x.UnitPrice));
    }

    static Dictionary<string, string?> Seed(int count) => new()
    {
        ["Inventory:Seed:Prefix"] = "SKU-",
        ["Inventory:Seed:Count"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Inventory:Seed:OnHand"] = "50",
    };
}

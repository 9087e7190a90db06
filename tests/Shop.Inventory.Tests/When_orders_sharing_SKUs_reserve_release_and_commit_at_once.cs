using Shop.Contracts;
using Shop.Testing;

namespace Shop.Inventory.Tests;

/// <summary>
/// Orders whose lines share scarce SKUs (named in either order) reserve at once, then half of the reserved ones are
/// released while the other half are committed, all at once: every order gets a reply (no deadlock ends in an error),
/// each reservation takes all of its lines or none, nothing is oversold, and the stock adds up afterwards.
/// </summary>
[Collection(InventoryCollection.Name)]
public sealed class When_orders_sharing_SKUs_reserve_release_and_commit_at_once(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_reserve_whole_orders_only_and_conserve_the_stock()
    {
        const int orders = 40;
        var (a, b, c) = (await fixture.NewSku(12), await fixture.NewSku(9), await fixture.NewSku(1_000));
        var lines = Enumerable.Range(0, orders).ToDictionary(_ => Guid.NewGuid(), i => (i % 3) switch
        {
            0 => new[] { new StockLine(a, 1), new StockLine(b, 1), new StockLine(c, 2) },
            1 => [new StockLine(b, 2), new StockLine(a, 1)],
            _ => [new StockLine(c, 1), new StockLine(a, 2)],
        });

        await Task.WhenAll(lines.Select(x => fixture.Reserve(x.Key, x.Value)));
        await fixture.Bus.WaitForCount<object>(x => x is StockReserved r && lines.ContainsKey(r.OrderId)
            || x is StockReservationFailed f && lines.ContainsKey(f.OrderId), orders, "a reply per order");

        var reserved = fixture.Bus.Received<StockReserved>(x => lines.ContainsKey(x.OrderId)).Select(x => x.OrderId).Distinct().ToList();
        Assert.NotEmpty(reserved);
        Assert.True(reserved.Count < orders, "the scarce SKUs should have run out for some orders");
        int Units(IEnumerable<Guid> orderIds, string sku) => orderIds.SelectMany(x => lines[x]).Where(x => x.Sku == sku).Sum(x => x.Quantity);
        // All or nothing: what each SKU holds in reserve is exactly the lines of the orders that got StockReserved.
        Assert.Equal(new(a, 12, Units(reserved, a), 12 - Units(reserved, a)), await fixture.Stock(a));
        Assert.Equal(new(b, 9, Units(reserved, b), 9 - Units(reserved, b)), await fixture.Stock(b));
        Assert.Equal(new(c, 1_000, Units(reserved, c), 1_000 - Units(reserved, c)), await fixture.Stock(c));

        var (released, committed) = (reserved.Where((_, i) => i % 2 == 0).ToList(), reserved.Where((_, i) => i % 2 == 1).ToList());
        var commits = await Task.WhenAll(committed.Select(fixture.Commit).Concat(released.Select(fixture.Release)));
        await Task.WhenAll(commits.Select(fixture.Committed));

        foreach (var (sku, onHand) in new[] { (a, 12), (b, 9), (c, 1_000) })
            Assert.Equal(new(sku, onHand - Units(committed, sku), 0, onHand - Units(committed, sku)), await fixture.Stock(sku));
    }
}

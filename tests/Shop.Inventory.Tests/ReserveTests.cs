using Shop.Contracts;
using Shop.Inventory.Domain;
using Shop.Testing;

namespace Shop.Inventory.Tests;

[Collection(InventoryCollection.Name)]
public sealed class When_every_line_is_available(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_reserve_all_lines()
    {
        var (a, b) = (await fixture.NewSku(10), await fixture.NewSku(10));
        var orderId = Guid.NewGuid();

        await fixture.Reserve(orderId, new StockLine(a, 3), new StockLine(b, 2), new StockLine(a, 1));

        await fixture.Bus.WaitFor<StockReserved>(x => x.OrderId == orderId, "StockReserved");
        Assert.Equal(new(a, 10, 4, 6), await fixture.Stock(a));
        Assert.Equal(new(b, 10, 2, 8), await fixture.Stock(b));
        Assert.Equal(nameof(ReservationStatus.Reserved), await fixture.ReservationStatus(orderId));
        Assert.Equal(2, await fixture.Database.ScalarAsync<long>($"""SELECT COUNT(*) FROM "ReservationLines" WHERE "OrderId" = '{orderId}'"""));
    }
}

[Collection(InventoryCollection.Name)]
public sealed class When_one_line_is_out_of_stock(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_reserve_nothing_and_name_the_unavailable_SKUs()
    {
        var (plenty, scarce) = (await fixture.NewSku(100), await fixture.NewSku(1));
        var orderId = Guid.NewGuid();

        await fixture.Reserve(orderId, new StockLine(plenty, 5), new StockLine(scarce, 2));

        var failed = await fixture.Bus.WaitFor<StockReservationFailed>(x => x.OrderId == orderId, "StockReservationFailed");
        Assert.Equal([scarce], failed.UnavailableSkus);
        Assert.Equal(Reservation.OutOfStock, failed.Reason);
        Assert.Equal(0, (await fixture.Stock(plenty)).Reserved);
        Assert.Equal(0, (await fixture.Stock(scarce)).Reserved);
        Assert.Equal(nameof(ReservationStatus.Failed), await fixture.ReservationStatus(orderId));
    }
}

[Collection(InventoryCollection.Name)]
public sealed class When_a_SKU_is_unknown(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_count_it_as_out_of_stock()
    {
        var known = await fixture.NewSku(10);
        var orderId = Guid.NewGuid();

        await fixture.Reserve(orderId, new StockLine(known, 1), new StockLine("NO-SUCH-SKU", 1));

        var failed = await fixture.Bus.WaitFor<StockReservationFailed>(x => x.OrderId == orderId, "StockReservationFailed");
        Assert.Equal(["NO-SUCH-SKU"], failed.UnavailableSkus);
        Assert.Equal(0, (await fixture.Stock(known)).Reserved);
    }
}

[Collection(InventoryCollection.Name)]
public sealed class When_a_line_has_no_positive_quantity(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_refuse_the_reservation()
    {
        var sku = await fixture.NewSku(10);
        var orderId = Guid.NewGuid();

        await fixture.Reserve(orderId, new StockLine(sku, -3));

        var failed = await fixture.Bus.WaitFor<StockReservationFailed>(x => x.OrderId == orderId, "StockReservationFailed");
        Assert.Equal(Reservation.InvalidQuantity, failed.Reason);
        Assert.Equal(new(sku, 10, 0, 10), await fixture.Stock(sku));
    }
}

[Collection(InventoryCollection.Name)]
public sealed class When_ReserveStock_is_sent_again_for_the_same_order(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_reply_the_same_without_reserving_twice()
    {
        var sku = await fixture.NewSku(10);
        var orderId = Guid.NewGuid();
        await fixture.Reserve(orderId, new StockLine(sku, 4));
        var first = await fixture.Bus.WaitFor<StockReserved>(x => x.OrderId == orderId, "StockReserved");

        var retry = await fixture.Reserve(orderId, new StockLine(sku, 4));

        await Eventually.True(() => Task.FromResult(fixture.Bus.ReceivedFrom<StockReserved>(retry).Count == 1), "reply to the retry");
        Assert.Equal(first, fixture.Bus.ReceivedFrom<StockReserved>(retry).Single());
        Assert.Equal(4, (await fixture.Stock(sku)).Reserved);
    }

    [Fact]
    public async Task Should_reserve_once_when_the_copies_arrive_together()
    {
        var sku = await fixture.NewSku(100);
        var orderId = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.Reserve(orderId, new StockLine(sku, 5))));

        await fixture.Bus.WaitForCount<StockReserved>(x => x.OrderId == orderId, 8, "eight replies");
        Assert.Single(fixture.Bus.Received<StockReserved>(x => x.OrderId == orderId).Distinct());
        Assert.Equal(5, (await fixture.Stock(sku)).Reserved);
    }

    [Fact]
    public async Task Should_ignore_a_redelivery_of_the_same_message()
    {
        var sku = await fixture.NewSku(10);
        var orderId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var command = new ReserveStock(orderId, [new StockLine(sku, 2)]);

        await fixture.Bus.Send("reserve-stock", command, messageId);
        await fixture.Bus.Send("reserve-stock", command, messageId);

        await fixture.Bus.WaitFor<StockReserved>(x => x.OrderId == orderId, "StockReserved");
        // The copy was consumed too (and dropped by the inbox), not still on its way.
        await fixture.Consumed.WaitFor(messageId, times: 2);
        await Consistently.True(() => fixture.Bus.Received<StockReserved>(x => x.OrderId == orderId).Count == 1, "one StockReserved");
        Assert.Single(fixture.Bus.Received<StockReserved>(x => x.OrderId == orderId));
        Assert.Equal(2, (await fixture.Stock(sku)).Reserved);
    }
}

[Collection(InventoryCollection.Name)]
public sealed class When_many_orders_race_for_the_last_units(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_reserve_exactly_the_available_quantity()
    {
        const int available = 10;
        const int orders = 40;
        var (hot, common) = (await fixture.NewSku(available), await fixture.NewSku(1_000));
        var orderIds = Enumerable.Range(0, orders).Select(_ => Guid.NewGuid()).ToList();

        await Task.WhenAll(orderIds.Select(orderId => fixture.Reserve(orderId, new StockLine(common, 1), new StockLine(hot, 1))));

        await fixture.Bus.WaitForCount<object>(x => x is StockReserved r && orderIds.Contains(r.OrderId)
            || x is StockReservationFailed f && orderIds.Contains(f.OrderId), orders, "a reply per order");
        var reserved = fixture.Bus.Received<StockReserved>(x => orderIds.Contains(x.OrderId));
        Assert.Equal(available, reserved.Count);
        Assert.Equal(new(hot, available, available, 0), await fixture.Stock(hot));
        Assert.Equal(available, (await fixture.Stock(common)).Reserved);
    }
}

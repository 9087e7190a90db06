using Shop.Contracts;
using Shop.Inventory.Domain;
using Shop.Testing;

namespace Shop.Inventory.Tests;

[Collection(InventoryCollection.Name)]
public sealed class When_reserved_stock_is_released(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_give_it_back_once_and_reply_every_time()
    {
        var sku = await fixture.NewSku(10);
        var orderId = Guid.NewGuid();
        await fixture.Reserve(orderId, new StockLine(sku, 6));
        await fixture.Bus.WaitFor<StockReserved>(x => x.OrderId == orderId, "StockReserved");

        await fixture.Release(orderId);
        var released = await fixture.Bus.WaitFor<StockReleased>(x => x.OrderId == orderId, "StockReleased");
        await fixture.Release(orderId);
        await fixture.Bus.WaitForCount<StockReleased>(x => x.OrderId == orderId, 2, "second StockReleased");

        Assert.All(fixture.Bus.Received<StockReleased>(x => x.OrderId == orderId), x => Assert.Equal(released, x));
        Assert.Equal(new(sku, 10, 0, 10), await fixture.Stock(sku));
        Assert.Equal(nameof(ReservationStatus.Released), await fixture.ReservationStatus(orderId));
    }

    [Fact]
    public async Task Should_give_it_back_once_when_the_copies_arrive_together()
    {
        var sku = await fixture.NewSku(10);
        var orderId = Guid.NewGuid();
        await fixture.Reserve(orderId, new StockLine(sku, 6));
        await fixture.Bus.WaitFor<StockReserved>(x => x.OrderId == orderId, "StockReserved");

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => fixture.Release(orderId)));

        await fixture.Bus.WaitForCount<StockReleased>(x => x.OrderId == orderId, 6, "six replies");
        Assert.Equal(new(sku, 10, 0, 10), await fixture.Stock(sku));
    }
}

[Collection(InventoryCollection.Name)]
public sealed class When_the_release_arrives_before_the_reservation(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_refuse_the_late_reservation()
    {
        var sku = await fixture.NewSku(10);
        var orderId = Guid.NewGuid();
        await fixture.Release(orderId);
        await fixture.Bus.WaitFor<StockReleased>(x => x.OrderId == orderId, "StockReleased");

        await fixture.Reserve(orderId, new StockLine(sku, 3));

        var failed = await fixture.Bus.WaitFor<StockReservationFailed>(x => x.OrderId == orderId, "StockReservationFailed");
        Assert.Equal(Reservation.Cancelled, failed.Reason);
        Assert.Equal(new(sku, 10, 0, 10), await fixture.Stock(sku));
    }
}

[Collection(InventoryCollection.Name)]
public sealed class When_reserved_stock_is_committed(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_take_it_off_hand_once()
    {
        var sku = await fixture.NewSku(10);
        var orderId = Guid.NewGuid();
        await fixture.Reserve(orderId, new StockLine(sku, 4));
        await fixture.Bus.WaitFor<StockReserved>(x => x.OrderId == orderId, "StockReserved");

        await fixture.Committed(await fixture.Commit(orderId));
        Assert.Equal(new(sku, 6, 0, 6), await fixture.Stock(sku));
        await fixture.Committed(await fixture.Commit(orderId));

        Assert.Equal(new(sku, 6, 0, 6), await fixture.Stock(sku));
        Assert.Equal(nameof(ReservationStatus.Committed), await fixture.ReservationStatus(orderId));
        var committedUnits = await fixture.Database.ScalarAsync<long>($"""
            SELECT COALESCE(SUM(l."Quantity"), 0) FROM "ReservationLines" l JOIN "Reservations" r ON r."OrderId" = l."OrderId"
            WHERE r."Status" = 'Committed' AND l."Sku" = '{sku}'
            """);
        Assert.Equal(10, (await fixture.Stock(sku)).OnHand + committedUnits);
    }

    [Fact]
    public async Task Should_ignore_a_later_release()
    {
        var sku = await fixture.NewSku(10);
        var orderId = Guid.NewGuid();
        await fixture.Reserve(orderId, new StockLine(sku, 4));
        await fixture.Bus.WaitFor<StockReserved>(x => x.OrderId == orderId, "StockReserved");
        await fixture.Committed(await fixture.Commit(orderId));

        await fixture.Release(orderId);

        await fixture.Bus.WaitFor<StockReleased>(x => x.OrderId == orderId, "StockReleased");
        Assert.Equal(new(sku, 6, 0, 6), await fixture.Stock(sku));
        Assert.Equal(nameof(ReservationStatus.Committed), await fixture.ReservationStatus(orderId));
    }
}

[Collection(InventoryCollection.Name)]
public sealed class When_stock_that_was_never_reserved_is_committed(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_move_the_command_to_the_error_queue()
    {
        var orderId = Guid.NewGuid();

        await fixture.Commit(orderId);

        await Eventually.True(async () => await fixture.VirtualHost.MessagesReadyAsync("commit-stock_error") >= 1, "a message in commit-stock_error");
        Assert.Null(await fixture.ReservationStatus(orderId));
    }
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Shop.Orders.Data;
using Shop.Orders.Saga;
using Shop.Testing;

namespace Shop.Orders.Tests.Data;

/// <summary>
/// The state between stock reserved and payment decided was renamed from StockReserved to Reserved: an order that waits
/// there while the new version is deployed must be found in the new state, or no reply would ever move it again.
/// </summary>
public sealed class When_orders_wait_across_the_state_rename : IAsyncLifetime
{
    TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("orders_rename");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Should_find_the_waiting_order_in_the_reserved_state()
    {
        var waiting = Guid.NewGuid();
        var paid = Guid.NewGuid();
        await using (var before = Context())
            await before.GetService<IMigrator>().MigrateAsync("PriceListAndPaymentToken");
        // In SQL: the rows as that release wrote them, without the columns added since.
        await _database.ExecuteAsync($"""
            INSERT INTO "OrderState" ("CorrelationId", "CurrentState", "Version", "CustomerId", "Email", "Total", "Lines", "ShippingLine1",
                "ShippingCity", "ShippingPostalCode", "ShippingCountry", "CreatedAt", "UpdatedAt")
            VALUES ('{waiting}', 'StockReserved', 1, 'c', 'e', 0, '[]', '', '', '', 'DE', now(), now()),
                   ('{paid}', 'Paid', 1, 'c', 'e', 0, '[]', '', '', '', 'DE', now(), now())
            """);

        await using (var after = Context())
            await after.Database.MigrateAsync();

        Assert.Equal(nameof(OrderStateMachine.Reserved), await StateOf(waiting));
        Assert.Equal(nameof(OrderStateMachine.Paid), await StateOf(paid));
    }

    OrdersPostgresDbContext Context() =>
        new(new DbContextOptionsBuilder<OrdersPostgresDbContext>().UseNpgsql(_database.ConnectionString).Options);

    Task<string?> StateOf(Guid orderId) =>
        _database.ScalarAsync<string>($"SELECT \"CurrentState\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'");
}

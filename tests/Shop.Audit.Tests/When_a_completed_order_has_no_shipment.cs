namespace Shop.Audit.Tests;

public sealed class When_a_completed_order_has_no_shipment : AuditTest
{
    [Fact]
    public async Task Should_report_the_order()
    {
        var orderId = await Shop.CompletedOrderAsync();
        await Shop.Shipping.ExecuteAsync($"""DELETE FROM "Shipments" WHERE "OrderId" = '{orderId}'""");

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        var violation = Assert.Single(audit.Violations);
        Assert.Equal(("completed-fulfilled", orderId.ToString()), (violation.Check, violation.Subject));
        Assert.Contains("0 live shipments", violation.Detail);
    }
}

public sealed class When_a_completed_order_kept_its_stock_reserved : AuditTest
{
    [Fact]
    public async Task Should_report_the_order()
    {
        var orderId = await Shop.CompletedOrderAsync(quantity: 2);
        await Shop.Inventory.ExecuteAsync($"""UPDATE "Reservations" SET "Status" = 'Reserved' WHERE "OrderId" = '{orderId}'""");
        await Shop.Inventory.ExecuteAsync($"""UPDATE "Stock" SET "OnHand" = "OnHand" + 2, "Reserved" = "Reserved" + 2""");

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        var violation = Assert.Single(audit.Violations);
        Assert.Equal(("completed-fulfilled", orderId.ToString()), (violation.Check, violation.Subject));
        Assert.Contains("stock is Reserved", violation.Detail);
    }
}

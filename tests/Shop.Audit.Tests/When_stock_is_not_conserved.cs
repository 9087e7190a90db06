namespace Shop.Audit.Tests;

public sealed class When_stock_is_not_conserved : AuditTest
{
    [Fact]
    public async Task Should_report_the_SKU_that_lost_units()
    {
        await Shop.CompletedOrderAsync(quantity: 2);
        await Shop.Inventory.ExecuteAsync("""UPDATE "Stock" SET "OnHand" = "OnHand" - 1""");

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        var violation = Assert.Single(audit.Violations);
        Assert.Equal(("stock-conserved", AuditScenario.Sku), (violation.Check, violation.Subject));
        Assert.Equal("received 100 ≠ on hand 97 + committed 2", violation.Detail);
    }

    [Fact]
    public async Task Should_report_units_reserved_for_no_open_reservation()
    {
        await Shop.CancelledOrderAsync();
        await Shop.Inventory.ExecuteAsync("""UPDATE "Stock" SET "Reserved" = 3""");

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        var violation = Assert.Single(audit.Violations);
        Assert.Equal(("stock-reserved", AuditScenario.Sku), (violation.Check, violation.Subject));
    }

    [Fact]
    public async Task Should_report_a_SKU_oversold()
    {
        await Shop.Inventory.ExecuteAsync("""ALTER TABLE "Stock" DROP CONSTRAINT "CK_Stock_Quantities" """);
        await Shop.Inventory.ExecuteAsync("""UPDATE "Stock" SET "Reserved" = "OnHand" + 1""");

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        Assert.Contains(audit.Violations, x => x is { Check: "stock-available", Subject: AuditScenario.Sku });
    }
}

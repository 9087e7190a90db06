namespace Shop.Audit.Tests;

public sealed class When_a_payment_is_captured_twice : AuditTest
{
    [Fact]
    public async Task Should_report_the_order()
    {
        await Shop.CompletedOrderAsync();
        var orderId = await Shop.CompletedOrderAsync();
        // The unique index forbids it; a bug that got past it is what the audit is for.
        await Shop.Payments.ExecuteAsync("""DROP INDEX "IX_Payments_OrderId_Kind" """);
        await Shop.Payments.ExecuteAsync($"""
            INSERT INTO "Payments" ("OrderId", "Sequence", "Kind", "PaymentId", "Amount", "At")
            VALUES ('{orderId}', 2, 'Capture', gen_random_uuid(), 20.00, now())
            """);

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        var violation = Assert.Single(audit.Violations, x => x.Check == "single-capture");
        Assert.Equal(orderId.ToString(), violation.Subject);
        Assert.All(audit.Violations, x => Assert.Equal(orderId.ToString(), x.Subject));
        Assert.Contains($"{"single-capture",-32} {orderId}", audit.Output);
    }
}

namespace Shop.Audit.Tests;

public sealed class When_a_cancelled_order_is_not_refunded : AuditTest
{
    [Fact]
    public async Task Should_report_the_order()
    {
        await Shop.CancelledOrderAsync();
        var orderId = await Shop.CancelledOrderAsync(refunded: false);

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        var violation = Assert.Single(audit.Violations);
        Assert.Equal(("cancelled-nets-to-zero", orderId.ToString()), (violation.Check, violation.Subject));
    }
}

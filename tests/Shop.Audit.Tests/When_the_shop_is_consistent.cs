namespace Shop.Audit.Tests;

public sealed class When_the_shop_is_consistent : AuditTest
{
    [Fact]
    public async Task Should_pass_every_check()
    {
        await Shop.CompletedOrderAsync();
        await Shop.CancelledOrderAsync();

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Passed, audit.ExitCode);
        Assert.Empty(audit.Findings);
        Assert.Equal(1, audit.Checked("completed-fulfilled"));
        Assert.Equal(1, audit.Checked("cancelled-nets-to-zero"));
        Assert.Equal(1, audit.Checked("stock-conserved"));
        Assert.Contains("PASS: no violation", audit.Output);
    }
}

namespace Shop.Audit.Tests;

public sealed class When_an_order_is_still_open : AuditTest
{
    [Fact]
    public async Task Should_report_the_order_with_its_age()
    {
        await Shop.CompletedOrderAsync();
        var orderId = await Shop.OpenOrderAsync("Paid", TimeSpan.FromMinutes(5));

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        var violation = Assert.Single(audit.Violations);
        Assert.Equal(("terminal", orderId.ToString()), (violation.Check, violation.Subject));
        Assert.StartsWith("open in Paid for 5m0", violation.Detail);
    }

    [Fact]
    public async Task Should_report_a_compensating_order_as_open_with_its_time_compensating()
    {
        var orderId = await Shop.OpenOrderAsync("Compensating", TimeSpan.FromMinutes(5), "ShipmentTimeout", inState: TimeSpan.FromMinutes(2));

        var audit = await Shop.AuditAsync();
        var allowed = await Shop.AuditAsync("--allow-open");

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        var violation = Assert.Single(audit.Violations);
        Assert.Equal(("terminal", orderId.ToString()), (violation.Check, violation.Subject));
        Assert.StartsWith("open in Compensating (ShipmentTimeout) for 5m0", violation.Detail);
        Assert.Contains("compensating for 2m0", violation.Detail);
        // Not a cancelled order (yet): none of the cancelled-order checks is broken by what it still holds.
        Assert.Equal(AuditCommand.Passed, allowed.ExitCode);
    }

    [Fact]
    public async Task Should_list_it_but_pass_when_open_orders_are_allowed()
    {
        var orderId = await Shop.OpenOrderAsync("Submitted", TimeSpan.FromSeconds(3));

        var audit = await Shop.AuditAsync("--allow-open");

        Assert.Equal(AuditCommand.Passed, audit.ExitCode);
        var finding = Assert.Single(audit.Findings);
        Assert.Equal(("terminal", orderId.ToString(), false), (finding.Check, finding.Subject, finding.Violation));
    }

    [Fact]
    public async Task Should_leave_out_orders_created_before_since()
    {
        await Shop.OpenOrderAsync("Submitted", TimeSpan.FromHours(2));
        var recent = await Shop.OpenOrderAsync("Submitted", TimeSpan.FromMinutes(1));

        var audit = await Shop.AuditAsync("--since", DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        Assert.Equal(recent.ToString(), Assert.Single(audit.Violations).Subject);
    }
}

public sealed class When_an_order_has_no_saga : AuditTest
{
    [Fact]
    public async Task Should_report_the_order()
    {
        var orderId = await Shop.CompletedOrderAsync();
        await Shop.Orders.ExecuteAsync($"""DELETE FROM "OrderState" WHERE "CorrelationId" = '{orderId}'""");

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        var violation = Assert.Single(audit.Violations);
        Assert.Equal(("saga", orderId.ToString()), (violation.Check, violation.Subject));
    }
}

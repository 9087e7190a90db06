namespace Shop.Audit.Tests;

public sealed class When_a_notification_is_sent_twice : AuditTest
{
    [Fact]
    public async Task Should_report_the_order()
    {
        await Shop.CancelledOrderAsync();
        var orderId = await Shop.CompletedOrderAsync();
        await Shop.Notifications.ExecuteAsync("""DROP INDEX "IX_Notifications_OrderId_Kind" """);
        await Shop.Notifications.ExecuteAsync($"""
            INSERT INTO "Notifications" ("Id", "OrderId", "Kind", "Recipient", "Text", "SentAt")
            SELECT gen_random_uuid(), "OrderId", "Kind", "Recipient", "Text", now() FROM "Notifications" WHERE "OrderId" = '{orderId}'
            """);

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        var violation = Assert.Single(audit.Violations);
        Assert.Equal(("notifications", orderId.ToString()), (violation.Check, violation.Subject));
        Assert.StartsWith("2 Completed notifications", violation.Detail);
    }
}

public sealed class When_a_cancelled_order_was_told_it_completed : AuditTest
{
    [Fact]
    public async Task Should_report_the_order()
    {
        var orderId = await Shop.CancelledOrderAsync();
        await Shop.Notifications.ExecuteAsync($"""UPDATE "Notifications" SET "Kind" = 'Completed' WHERE "OrderId" = '{orderId}'""");

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        Assert.Equal(2, audit.Violations.Count(x => x.Check == "notifications" && x.Subject == orderId.ToString()));
    }
}

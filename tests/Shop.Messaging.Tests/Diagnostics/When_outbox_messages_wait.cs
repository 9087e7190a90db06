using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Shop.Messaging.Diagnostics;
using Shop.Testing;

namespace Shop.Messaging.Tests.Diagnostics;

/// <summary>Delivery is off in this process, so the outbox rows stay until the test delivers them.</summary>
public sealed class When_outbox_messages_wait : DiagnosticsTest
{
    protected override bool DeliveryEnabled => false;

    [Fact]
    public async Task Should_report_the_due_backlog_its_age_and_the_scheduled_rows()
    {
        using var metrics = new MessagingMetricsReader(Service.Services.GetRequiredService<IMeterFactory>());
        await WriteToOutbox(3);
        await Db.ExecuteAsync("""UPDATE "OutboxState" SET "DueTime" = now() - interval '90 seconds'""");
        await WriteToOutbox(2);
        await Db.ExecuteAsync("""UPDATE "OutboxState" SET "DueTime" = now() + interval '1 hour' WHERE "DueTime" > now() - interval '1 minute'""");

        // The sampler counts the outbox, then the inbox: wait for both.
        await Eventually.True(() => Task.FromResult(metrics.Read("shop.messaging.outbox.backlog") == 3 && metrics.Read("shop.messaging.outbox.scheduled") == 2
                && metrics.Read("shop.messaging.inbox.size") is not null),
            "3 due and 2 scheduled outbox messages in the gauges, and the inbox counted");
        Assert.InRange(metrics.Read("shop.messaging.outbox.oldest_age")!.Value, 90, 120);
        Assert.Equal(0, metrics.Read("shop.messaging.inbox.size"));
    }

    [Fact]
    public async Task Should_be_degraded_while_the_oldest_due_row_is_too_old_and_healthy_once_delivered()
    {
        using var metrics = new MessagingMetricsReader(Service.Services.GetRequiredService<IMeterFactory>());
        await WriteToOutbox(3);
        Assert.Equal("Healthy", (await Ready()).Checks[DiagnosticsServiceCollectionExtensions.OutboxCheck].Status);

        await Db.ExecuteAsync("""UPDATE "OutboxState" SET "DueTime" = now() - interval '1 minute'""");
        Readiness? degraded = null;
        await Eventually.True(async () => (degraded = await Ready()).Checks[DiagnosticsServiceCollectionExtensions.OutboxCheck].Status == "Degraded",
            "the outbox check to turn Degraded");
        Assert.Equal(HttpStatusCode.OK, degraded!.HttpStatus);
        Assert.Equal("Degraded", degraded.Status);
        Assert.StartsWith("3 outbox message(s) waiting; the oldest for 6", degraded.Checks[DiagnosticsServiceCollectionExtensions.OutboxCheck].Description);

        await DeliverOutbox();

        await Eventually.True(async () => (await Ready()).Checks[DiagnosticsServiceCollectionExtensions.OutboxCheck].Status == "Healthy",
            "the outbox check to turn Healthy after delivery");
        Assert.Equal(3, metrics.Read("shop.messaging.outbox.delivered"));
        await Eventually.True(() => Task.FromResult(metrics.Read("shop.messaging.outbox.backlog") == 0), "an empty backlog in the gauge");
    }
}

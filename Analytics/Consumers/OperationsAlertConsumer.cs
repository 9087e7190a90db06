using MassTransit;
using Microsoft.EntityFrameworkCore;
using Shop.Analytics.Data;
using Shop.Contracts;

namespace Shop.Analytics.Consumers;

/// <summary>
/// Keeps each cancellation the operations feed delivers as an alert (<c>GET /analytics/alerts</c>, the
/// <c>shop_analytics_alerts_total</c> counter and a warning in the log), in the message's transaction like every
/// consumer. The broker routed it by a header; the content is checked again here, since a header is not the message.
/// </summary>
public sealed class OperationsAlertConsumer(AnalyticsDbContext dbContext, AnalyticsMetrics metrics, ILogger<OperationsAlertConsumer> logger)
    : IConsumer<OrderCancelled>
{
    public async Task Consume(ConsumeContext<OrderCancelled> context)
    {
        var cancelled = context.Message;
        if (!OperationsFeed.Takes(cancelled))
        {
            logger.LogWarning("OrderCancelled {MessageId} reached the operations feed with reason {Reason}, which it does not take; ignored",
                context.MessageId, cancelled.Reason);
            return;
        }

        // One alert per order: a copy under another id changes nothing.
        if (await dbContext.OperationsAlerts.AnyAsync(x => x.OrderId == cancelled.OrderId, context.CancellationToken))
            return;

        dbContext.OperationsAlerts.Add(new OperationsAlert
        {
            OrderId = cancelled.OrderId,
            EventId = context.MessageId ?? throw new MessageException(typeof(OrderCancelled), "A MessageId is required."),
            Reason = cancelled.Reason,
            CancelledAt = cancelled.CancelledAt,
        });
        await dbContext.SaveChangesAsync(context.CancellationToken);
        metrics.Alerted(cancelled.Reason);
        logger.LogWarning("Operations alert: order {OrderId} cancelled with {Reason} at {CancelledAt}", cancelled.OrderId, cancelled.Reason,
            cancelled.CancelledAt);
    }
}

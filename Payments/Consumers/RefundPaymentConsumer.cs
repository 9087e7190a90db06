using MassTransit;
using Shop.Contracts;
using Shop.Payments.Data;
using Shop.Payments.Domain;

namespace Shop.Payments.Consumers;

/// <summary>
/// Compensation: refunds the order's capture once, or voids what was not captured (a pending charge, or nothing yet,
/// so that a late charge is declined). Always replies; a repeat replies the same.
/// </summary>
public sealed class RefundPaymentConsumer(PaymentsDbContext dbContext, TimeProvider clock, ILogger<RefundPaymentConsumer> logger)
    : IConsumer<RefundPayment>
{
    public async Task Consume(ConsumeContext<RefundPayment> context)
    {
        var command = context.Message;
        var ledger = await dbContext.LoadLedgerAsync(command.OrderId, context.CancellationToken);
        var now = clock.GetUtcNow();

        var refund = ledger.Find(PaymentRecordKind.Refund);
        if (refund is null && ledger.Find(PaymentRecordKind.Capture) is { } capture)
        {
            refund = ledger.Append(PaymentRecordKind.Refund, capture.PaymentId, capture.Amount, now, command.Reason);
            logger.LogInformation("Refunded {Amount} of payment {PaymentId} for order {OrderId}", refund.Amount, refund.PaymentId, command.OrderId);
        }

        var settled = refund ?? ledger.Find(PaymentRecordKind.Void) ?? Void(ledger, command, now);
        dbContext.Payments.AddRange(ledger.Added);
        await context.Publish(new PaymentRefunded(command.OrderId, settled.PaymentId, settled.Amount, settled.At));
    }

    PaymentRecord Void(PaymentLedger ledger, RefundPayment command, DateTimeOffset now)
    {
        var pending = ledger.Find(PaymentRecordKind.Pending);
        logger.LogInformation("Nothing captured for order {OrderId}; voided {What}", command.OrderId,
            pending is null ? "any later charge" : $"pending charge {pending.PaymentId}");
        return ledger.Append(PaymentRecordKind.Void, pending?.PaymentId, 0m, now, command.Reason);
    }
}

using MassTransit;
using Shop.Contracts;
using Shop.Messaging.Outbox;
using Shop.Payments.Data;
using Shop.Payments.Domain;
using Shop.Payments.Settlement;

namespace Shop.Payments.Consumers;

/// <summary>
/// Compensation: returns at the provider whatever the order's charge captured, or voids a charge whose outcome is still
/// unknown. Where money may have moved, the consumer commits the intent (RefundRequested) and the settlement service
/// does the provider's part and replies; where nothing was charged it replies at once, leaving a tombstone so that a
/// late charge is declined. Always replies, once the compensation is true at the provider; a repeat replies the same.
/// </summary>
public sealed class RefundPaymentConsumer(PaymentsDbContext dbContext, SettlementService settlements, TimeProvider clock,
    ILogger<RefundPaymentConsumer> logger) : IConsumer<RefundPayment>
{
    public async Task Consume(ConsumeContext<RefundPayment> context)
    {
        var command = context.Message;
        var ledger = await dbContext.LoadLedgerAsync(command.OrderId, context.CancellationToken);

        if (ledger.Compensation is { } done)
        {
            await context.Publish(new PaymentRefunded(command.OrderId, done.PaymentId is null ? null : ledger.ShopPaymentId, done.Amount, done.At));
            return;
        }

        if (ledger.ChargeRequest is null)
        {
            // Nothing was ever asked of the provider: the tombstone makes a charge still on its way a decline.
            logger.LogInformation("Nothing charged for order {OrderId}; voided any later charge", command.OrderId);
            var voided = ledger.Append(PaymentRecordKind.Void, null, 0m, clock.GetUtcNow(), command.Reason);
            dbContext.Payments.AddRange(ledger.Added);
            await context.Publish(new PaymentRefunded(command.OrderId, null, 0m, voided.At));
            return;
        }

        if (ledger.Find(PaymentRecordKind.RefundRequested) is null)
        {
            ledger.Append(PaymentRecordKind.RefundRequested, null, ledger.ChargeRequest.Amount, clock.GetUtcNow(), command.Reason);
            dbContext.Payments.AddRange(ledger.Added);
        }

        context.RunAfterCommit(() => settlements.Enqueue(command.OrderId));
    }
}

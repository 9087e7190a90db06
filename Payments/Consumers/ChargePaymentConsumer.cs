using MassTransit;
using Shop.Contracts;
using Shop.Messaging.Outbox;
using Shop.Messaging.PaymentTokens;
using Shop.Payments.Data;
using Shop.Payments.Domain;
using Shop.Payments.Settlement;

namespace Shop.Payments.Consumers;

/// <summary>
/// Charges an order at most once. The consumer only commits the intent (ChargeRequested); the settlement service calls
/// the provider after that commit, outside any transaction, and replies. A repeated command gets the first outcome
/// again, or — while the outcome is unknown — has the order settled once more (the same idempotency key); a charge for
/// an order already compensated is declined without reaching the provider.
/// </summary>
/// <remarks>
/// The token arrives sealed for this service and is stored sealed; one sent in clear (a message from before sealing,
/// still draining) is sealed here, on arrival — the one place such a token is upcast.
/// </remarks>
public sealed class ChargePaymentConsumer(PaymentsDbContext dbContext, SettlementService settlements, PaymentTokenOpener tokens,
    TimeProvider clock, ILogger<ChargePaymentConsumer> logger) : IConsumer<ChargePayment>
{
    public async Task Consume(ConsumeContext<ChargePayment> context)
    {
        var command = context.Message;
        var ledger = await dbContext.LoadLedgerAsync(command.OrderId, context.CancellationToken);

        if (ledger.ChargeOutcome is { } outcome)
        {
            await context.Publish(outcome.Kind == PaymentRecordKind.Capture
                ? new PaymentCaptured(command.OrderId, ledger.ShopPaymentId!.Value, outcome.Amount, outcome.At)
                : new PaymentDeclined(command.OrderId, outcome.Reason!, outcome.At));
            return;
        }

        if (ledger.Find(PaymentRecordKind.Void) is not null)
        {
            logger.LogWarning("Charge of order {OrderId} refused: its payment was voided", command.OrderId);
            var decline = ledger.Append(PaymentRecordKind.Decline, null, command.Amount, clock.GetUtcNow(), DeclineCodes.Voided);
            dbContext.Payments.AddRange(ledger.Added);
            await context.Publish(new PaymentDeclined(command.OrderId, decline.Reason!, decline.At));
            return;
        }

        if (ledger.ChargeRequest is null)
        {
            var sealedToken = SealedPaymentToken.IsSealed(command.PaymentToken) ? command.PaymentToken : tokens.Seal(command.PaymentToken, command.OrderId);
            ledger.AppendChargeRequest(command.Amount, clock.GetUtcNow(), sealedToken);
            dbContext.Payments.AddRange(ledger.Added);
        }

        context.RunAfterCommit(() => settlements.Enqueue(command.OrderId));
    }
}

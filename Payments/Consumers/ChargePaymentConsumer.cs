using MassTransit;
using Shop.Contracts;
using Shop.Payments.Data;
using Shop.Payments.Domain;

namespace Shop.Payments.Consumers;

/// <summary>
/// Charges an order at most once. A repeated command (a saga retry) gets the first outcome again; a charge the gateway
/// never answered stays pending (no reply: the saga's timeout compensates); a voided order is declined.
/// </summary>
public sealed class ChargePaymentConsumer(PaymentsDbContext dbContext, IPaymentGateway gateway, TimeProvider clock,
    ILogger<ChargePaymentConsumer> logger) : IConsumer<ChargePayment>
{
    public async Task Consume(ConsumeContext<ChargePayment> context)
    {
        var command = context.Message;
        var ledger = await dbContext.LoadLedgerAsync(command.OrderId, context.CancellationToken);

        var outcome = ledger.ChargeOutcome ?? await Charge(ledger, command, context.CancellationToken);
        dbContext.Payments.AddRange(ledger.Added);
        if (outcome is null)
            return;

        if (outcome.Kind == PaymentRecordKind.Capture)
            await context.Publish(new PaymentCaptured(command.OrderId, outcome.PaymentId!.Value, outcome.Amount, outcome.At));
        else
            await context.Publish(new PaymentDeclined(command.OrderId, outcome.Reason!, outcome.At));
    }

    /// <summary>Records the gateway's answer: a capture or decline (returned), or a pending charge (null).</summary>
    async Task<PaymentRecord?> Charge(PaymentLedger ledger, ChargePayment command, CancellationToken cancellationToken)
    {
        if (ledger.Find(PaymentRecordKind.Void) is not null)
        {
            logger.LogWarning("Charge of order {OrderId} refused: its payment was voided", command.OrderId);
            return ledger.Append(PaymentRecordKind.Decline, null, command.Amount, clock.GetUtcNow(), DeclineCodes.Voided);
        }

        if (ledger.Find(PaymentRecordKind.Pending) is not null)
        {
            logger.LogWarning("Charge of order {OrderId} is still pending at the gateway; no reply", command.OrderId);
            return null;
        }

        try
        {
            var charge = await gateway.ChargeAsync(command.OrderId, command.Amount, command.PaymentToken, cancellationToken);
            logger.LogInformation("Charge {PaymentId} of {Amount} for order {OrderId}: {Outcome}", charge.ChargeId, command.Amount,
                command.OrderId, charge.DeclineCode ?? "captured");
            return charge.Captured
                ? ledger.Append(PaymentRecordKind.Capture, charge.ChargeId, command.Amount, charge.At)
                : ledger.Append(PaymentRecordKind.Decline, charge.ChargeId, command.Amount, charge.At, charge.DeclineCode);
        }
        catch (GatewayTimeoutException exception)
        {
            logger.LogWarning(exception, "Charge of order {OrderId} got no answer; recorded as pending", command.OrderId);
            ledger.Append(PaymentRecordKind.Pending, NewId.NextGuid(), command.Amount, clock.GetUtcNow(), "gateway_timeout");
            return null;
        }
    }
}

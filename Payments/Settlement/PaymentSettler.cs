using System.Security.Cryptography;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Shop.Contracts;
using Shop.Data;
using Shop.Messaging.PaymentTokens;
using Shop.Payments.Data;
using Shop.Payments.Domain;
using Shop.Payments.Gateways;

namespace Shop.Payments.Settlement;

/// <summary>
/// Brings one order's payment to what its ledger asks of the provider: charge, void, refund, or confirm. Every provider
/// call is made outside any database transaction, under the order's idempotency key, after the intent was committed;
/// its answer is then recorded, with the reply to the saga in the outbox, in one short transaction. A call whose
/// answer is lost is looked up by key; one that cannot be looked up either stays for the next pass (the reconciler
/// runs them again), so an unknown outcome is never final.
/// </summary>
public sealed class PaymentSettler(IServiceScopeFactory scopes, PaymentProviderClient provider, PaymentTokenOpener tokens,
    PaymentsMetrics metrics, TimeProvider clock, ILogger<PaymentSettler> logger)
{
    /// <summary>A pass charges or voids, then refunds or confirms: two steps, and room for writers that race it.</summary>
    const int MaxSteps = 4;

    /// <summary>Settles the order as far as the provider answers. True when nothing is left to do.</summary>
    public async Task<bool> SettleAsync(Guid orderId, CancellationToken cancellationToken)
    {
        for (var step = 0; step < MaxSteps; step++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var dbContext = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
            var ledger = await dbContext.LoadLedgerAsync(orderId, cancellationToken);
            var next = ledger.NextStep;
            if (next == ProviderStep.None)
                return true;

            try
            {
                var publish = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
                await (next switch
                {
                    ProviderStep.Charge => ChargeAsync(ledger, publish, cancellationToken),
                    ProviderStep.Void => VoidAsync(ledger, publish, cancellationToken),
                    ProviderStep.Refund => RefundAsync(ledger, publish, cancellationToken),
                    _ => CloseAsync(ledger, publish),
                });

                ForgetToken(dbContext, ledger);
                dbContext.Payments.AddRange(ledger.Added);
                await dbContext.SaveChangesAsync(cancellationToken);
            }
            catch (ProviderOutcomeUnknownException exception)
            {
                metrics.OutcomeUnknown(next);
                logger.LogWarning(exception, "{Step} of order {OrderId}: the provider's answer is unknown; it is looked up again later",
                    next, orderId);
                return false;
            }
            catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueViolation(exception))
            {
                // Another writer (a consumer, another instance) recorded first: go on from what it recorded.
                logger.LogDebug("Order {OrderId} changed while it was settled; reloading", orderId);
            }
        }

        return false;
    }

    async Task ChargeAsync(PaymentLedger ledger, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var request = ledger.ChargeRequest!;
        // The token is forgotten only in the transaction that records the outcome, so an undecided charge still has it.
        var sealedToken = request.PaymentToken
            ?? throw new InvalidOperationException($"Order {ledger.OrderId} has an undecided charge without a token.");
        string token;
        try
        {
            // Opened in memory only, for this one call; never stored, logged or sent anywhere but to the provider. An intent
            // stored before sealing holds its token in clear: used as it is, and forgotten with the outcome like any other.
            token = SealedPaymentToken.IsSealed(sealedToken) ? tokens.Open(sealedToken, ledger.OrderId) : sealedToken;
        }
        catch (CryptographicException exception)
        {
            logger.LogError("The payment token of order {OrderId} does not open ({Reason}); the charge is declined", ledger.OrderId,
                exception.Message);
            await SettleRefusedChargeAsync(ledger, publish, DeclineCodes.UnreadableToken, cancellationToken);
            return;
        }

        ProviderCharge charge;
        try
        {
            charge = await provider.ChargeAsync(ledger.ChargeKey, ledger.OrderId, request.Amount, token, cancellationToken);
        }
        catch (ProviderOutcomeUnknownException lost)
        {
            // The answer may be lost, not the charge: the lookup by key is the provider's own record of it.
            charge = await provider.FindAsync(ledger.ChargeKey, cancellationToken)
                ?? throw new ProviderOutcomeUnknownException($"Charge {ledger.ChargeKey}: no answer, and the provider does not list it (yet).", lost);
            metrics.Reconciled();
            logger.LogInformation("Charge of order {OrderId} reconciled by key: {Status}", ledger.OrderId, charge.Status);
        }
        catch (ProviderRejectedException exception)
        {
            logger.LogWarning("The provider refused the charge of order {OrderId} ({Refusal}); its key is looked up and voided", ledger.OrderId,
                exception.Message);
            await SettleRefusedChargeAsync(ledger, publish, DeclineCodes.RejectedByProvider, cancellationToken);
            return;
        }

        await RecordChargeAsync(ledger, publish, charge);
    }

    /// <summary>
    /// A refused charge (4xx) proves nothing about its key: an earlier attempt may have captured under it (a Stripe-like
    /// provider answers 409 to a request racing one with the same key; a gateway in front answers 401/403 to one attempt
    /// and not another). So the key is voided, which is also its lookup: with nothing under it, it is voided for good
    /// (a late same-key request can never capture) and the decline is recorded; a charge under it comes back as the
    /// provider holds it, and that is recorded — a capture as the capture (a compensation refunds it), never a decline
    /// beside money the provider kept. A refused void leaves the outcome unknown: looked up again later.
    /// </summary>
    async Task SettleRefusedChargeAsync(PaymentLedger ledger, IPublishEndpoint publish, string code, CancellationToken cancellationToken)
    {
        ProviderCharge held;
        try
        {
            held = await provider.VoidAsync(ledger.ChargeKey, ledger.OrderId, cancellationToken);
        }
        catch (ProviderRejectedException exception)
        {
            throw new ProviderOutcomeUnknownException($"Charge {ledger.ChargeKey} was refused and its key could not be voided: {exception.Message}",
                exception);
        }

        if (held.Status == ProviderCharge.Voided)
        {
            await RecordDeclineAsync(ledger, publish, held.ChargeId, ledger.ChargeRequest!.Amount, held.CreatedAt, code);
            return;
        }

        logger.LogWarning("Order {OrderId}: the refused charge's key holds charge {PaymentId}, {Status}; recorded as the provider holds it",
            ledger.OrderId, held.ChargeId, held.Status);
        await RecordChargeAsync(ledger, publish, held);
    }

    /// <summary>
    /// Voids the charge key. The answer is the charge's outcome: voided or declined (the next step confirms the
    /// compensation) or captured, too late to void (the next step refunds it).
    /// </summary>
    async Task VoidAsync(PaymentLedger ledger, IPublishEndpoint publish, CancellationToken cancellationToken) =>
        await RecordChargeAsync(ledger, publish, await provider.VoidAsync(ledger.ChargeKey, ledger.OrderId, cancellationToken));

    async Task RefundAsync(PaymentLedger ledger, IPublishEndpoint publish, CancellationToken cancellationToken)
    {
        var capture = ledger.Find(PaymentRecordKind.Capture)!;
        var reason = ledger.Find(PaymentRecordKind.RefundRequested)!.Reason;
        DateTimeOffset at;
        try
        {
            at = (await provider.RefundAsync(capture.PaymentId!.Value, ledger.RefundKey, capture.Amount, cancellationToken)).CreatedAt;
        }
        catch (ProviderRejectedException exception) when (exception.Code == "amount_exceeds_captured")
        {
            // Refunded already, under another key? The provider's record is the truth; anything else is for an operator.
            var charge = await provider.FindAsync(ledger.ChargeKey, cancellationToken);
            if (charge is null || charge.AmountRefunded < capture.Amount)
                throw;
            at = clock.GetUtcNow();
        }

        logger.LogInformation("Refunded {Amount} of charge {PaymentId} for order {OrderId} at the provider", capture.Amount,
            capture.PaymentId, ledger.OrderId);
        var refund = ledger.Append(PaymentRecordKind.Refund, capture.PaymentId, capture.Amount, at, reason);
        await publish.Publish(new PaymentRefunded(ledger.OrderId, ledger.ShopPaymentId, refund.Amount, refund.At));
    }

    /// <summary>The charge was declined (or its key voided): the compensation has nothing to undo at the provider.</summary>
    async Task CloseAsync(PaymentLedger ledger, IPublishEndpoint publish)
    {
        var voided = ledger.Append(PaymentRecordKind.Void, null, 0m, clock.GetUtcNow(), ledger.Find(PaymentRecordKind.RefundRequested)!.Reason);
        await publish.Publish(new PaymentRefunded(ledger.OrderId, null, 0m, voided.At));
    }

    async Task RecordChargeAsync(PaymentLedger ledger, IPublishEndpoint publish, ProviderCharge charge)
    {
        if (charge.IsCaptured)
        {
            logger.LogInformation("Charge {PaymentId} of {Amount} for order {OrderId}: captured", charge.ChargeId, charge.Amount, ledger.OrderId);
            var capture = ledger.Append(PaymentRecordKind.Capture, charge.ChargeId, charge.Amount, charge.CreatedAt);
            // The shop's own payment id: the provider's charge id stays in this ledger (operators only).
            await publish.Publish(new PaymentCaptured(ledger.OrderId, ledger.ShopPaymentId!.Value, capture.Amount, capture.At));
            return;
        }

        var code = charge.Status == ProviderCharge.Voided ? DeclineCodes.Voided : charge.DeclineCode ?? charge.Status;
        await RecordDeclineAsync(ledger, publish, charge.ChargeId, ledger.ChargeRequest!.Amount, charge.CreatedAt, code);
    }

    async Task RecordDeclineAsync(PaymentLedger ledger, IPublishEndpoint publish, Guid? chargeId, decimal amount, DateTimeOffset at, string code)
    {
        logger.LogInformation("Charge of {Amount} for order {OrderId}: declined ({DeclineCode})", amount, ledger.OrderId, code);
        var decline = ledger.Append(PaymentRecordKind.Decline, chargeId, amount, at, code);
        await publish.Publish(new PaymentDeclined(ledger.OrderId, code, decline.At));
    }

    /// <summary>Once the charge is decided the customer's token is of no more use here: it is not kept.</summary>
    static void ForgetToken(PaymentsDbContext dbContext, PaymentLedger ledger)
    {
        if (ledger.ChargeRequest is { PaymentToken: not null } request && (ledger.ChargeOutcome ?? ledger.Compensation) is not null)
        {
            dbContext.Attach(request);
            request.PaymentToken = null;
        }
    }
}

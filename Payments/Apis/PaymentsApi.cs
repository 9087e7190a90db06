using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Payments.Data;
using Shop.Payments.Domain;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Identity;

namespace Shop.Payments.Apis;

public static class PaymentsApi
{
    public static WebApplication MapPaymentsApi(this WebApplication app)
    {
        app.MapGet("/payments", GetPayments)
            .WithName("GetPayments")
            .RequireAuthorization(ShopPolicies.Operator)
            .WithSummary("The payment records of an order, oldest first.");
        return app;
    }

    static async Task<Results<Ok<PaymentView[]>, ValidationProblem>> GetPayments(string? orderId, PaymentsDbContext dbContext,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
            return ValidationProblems.NotAGuid("orderId");

        var payments = await dbContext.Payments.AsNoTracking()
            .Where(x => x.OrderId == id)
            .OrderBy(x => x.Sequence)
            .Select(x => new PaymentView(x.Kind, x.Amount, x.At, x.PaymentId, x.Reason, x.ShopPaymentId))
            .ToArrayAsync(cancellationToken);
        return TypedResults.Ok(payments);
    }
}

/// <summary>A ledger entry for operators: <see cref="PaymentId"/> is the provider's charge id; <see cref="ShopPaymentId"/> (on the
/// ChargeRequested entry) the id the shop shows the customer.</summary>
public sealed record PaymentView(PaymentRecordKind Kind, decimal Amount, DateTimeOffset At, Guid? PaymentId, string? Reason, Guid? ShopPaymentId = null);

using Shop.Orders.Saga;
using Shop.Payments.Gateways;

namespace Shop.Audit;

/// <summary>
/// The invariants of money where it really is: the payment provider's records against the saga's state and our ledger.
/// Open orders are left out (their money may be in flight); every terminal one must agree.
/// </summary>
public static class ProviderChecks
{
    const string Completed = nameof(OrderStateMachine.Completed);
    const string Cancelled = nameof(OrderStateMachine.Cancelled);

    public static IReadOnlyList<AuditCheck> Run(AuditData data, IReadOnlyDictionary<Guid, ProviderCharge[]> provider)
    {
        var single = new AuditCheck("provider-single-capture", "at most one charge captured per order at the payment provider");
        var completed = new AuditCheck("provider-completed", "a completed order is captured at the provider exactly once, for its total, not refunded");
        var cancelled = new AuditCheck("provider-cancelled-nets-to-zero", "a cancelled order's captures at the provider are refunded in full");
        var ledger = new AuditCheck("ledger-matches-provider", "our payment ledger records what the provider captured and refunded");

        var payments = data.Payments.ToDictionary(x => x.OrderId);
        foreach (var order in data.Orders.Where(x => x.State is Completed or Cancelled))
        {
            var captured = provider.GetValueOrDefault(order.Id, []).Where(x => x.IsCaptured).ToList();
            var (amount, refunded) = (captured.Sum(x => x.Amount), captured.Sum(x => x.AmountRefunded));
            var atProvider = $"{captured.Count} captured at the provider ({amount:0.00}, {refunded:0.00} refunded)";

            single.Count();
            if (captured.Count > 1)
                single.Report(order.Id, atProvider);

            if (order.State == Completed)
            {
                completed.Count();
                if (captured.Count != 1 || amount != order.Total || refunded != 0)
                    completed.Report(order.Id, $"completed for {order.Total:0.00} with {atProvider}");
            }
            else
            {
                cancelled.Count();
                if (amount != refunded)
                    cancelled.Report(order.Id, $"cancelled ({order.CancellationReason}) with {atProvider}: {amount - refunded:0.00} kept");
            }

            ledger.Count();
            var recorded = payments.GetValueOrDefault(order.Id) ?? PaymentTotals.None(order.Id);
            if (recorded.Captured != amount || recorded.Refunded != refunded)
                ledger.Report(order.Id, $"the ledger has {recorded.Captured:0.00} captured and {recorded.Refunded:0.00} refunded; {atProvider}");
        }

        return [single, completed, cancelled, ledger];
    }
}

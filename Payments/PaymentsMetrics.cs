using System.Diagnostics.Metrics;
using Shop.Payments.Domain;

namespace Shop.Payments;

/// <summary>The <c>Shop.Payments</c> meter: how often the provider's answer was lost, and how often a lookup found it.</summary>
public sealed class PaymentsMetrics
{
    public const string Name = "Shop.Payments";

    readonly Counter<long> _unknown;
    readonly Counter<long> _reconciled;

    public PaymentsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _unknown = meter.CreateCounter<long>("shop.payments.provider.unknown_outcomes", "{call}",
            "Provider calls whose outcome was unknown (timeout, provider down); each is looked up again later.");
        _reconciled = meter.CreateCounter<long>("shop.payments.provider.reconciled", "{charge}",
            "Charges whose lost answer was found by looking the idempotency key up at the provider.");
    }

    public void OutcomeUnknown(ProviderStep step) => _unknown.Add(1, new KeyValuePair<string, object?>("step", step.ToString()));

    public void Reconciled() => _reconciled.Add(1);
}

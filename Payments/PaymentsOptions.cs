using System.ComponentModel.DataAnnotations;

namespace Shop.Payments;

/// <summary>How Payments settles with the provider. Bound from the <c>Payments</c> configuration section.</summary>
public sealed class PaymentsOptions
{
    public const string Section = "Payments";

    /// <summary>Orders settled with the provider at once by one instance (provider calls are I/O, not CPU).</summary>
    [Range(1, 256)]
    public int SettlementConcurrency { get; set; } = 16;

    /// <summary>
    /// At most this many orders wait to be settled (each once); the reconciler may fill half. A refused order keeps its
    /// committed intent and is offered again by the reconciler.
    /// </summary>
    [Range(2, 100_000)]
    public int SettlementQueueCapacity { get; set; } = 1024;

    /// <summary>How often the reconciler looks for intents nothing resolved.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How old an unresolved intent must be before the reconciler takes it: longer than one settlement usually takes,
    /// so that it does not race the worker already on it.
    /// </summary>
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>At most this many orders per reconciler pass.</summary>
    [Range(1, 10_000)]
    public int ReconcileBatch { get; set; } = 500;
}

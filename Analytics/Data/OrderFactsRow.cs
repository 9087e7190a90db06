using System.Text.Json;
using Shop.Analytics.Domain;
using Shop.Contracts;

namespace Shop.Analytics.Data;

/// <summary>
/// The stored <see cref="OrderFacts"/> of one order (<c>OrderFacts</c>): what the views hold of it, so that the next
/// event changes them by the difference. <see cref="Version"/> serializes the events of one order (optimistic
/// concurrency); <see cref="Epoch"/> is the newest generation being rebuilt that already counts this order.
/// </summary>
public sealed class OrderFactsRow
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Guid OrderId { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public decimal SubmittedTotal { get; set; }

    /// <summary>The order's units per SKU as JSON (<c>[{"sku":"SKU-1","quantity":2}]</c>).</summary>
    public string Lines { get; set; } = "[]";

    public DateTimeOffset? ReservedAt { get; set; }
    public DateTimeOffset? ReleasedAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset? RefundedAt { get; set; }
    public DateTimeOffset? ShippedAt { get; set; }
    public OrderOutcome Outcome { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public decimal CompletedTotal { get; set; }
    public string? CancelReason { get; set; }
    public int Version { get; set; }
    public int Epoch { get; set; }

    public OrderFacts ToFacts() => new(OrderId)
    {
        SubmittedAt = SubmittedAt,
        SubmittedTotal = SubmittedTotal,
        Lines = JsonSerializer.Deserialize<List<StockLine>>(Lines, Json) ?? [],
        ReservedAt = ReservedAt,
        ReleasedAt = ReleasedAt,
        PaidAt = PaidAt,
        RefundedAt = RefundedAt,
        ShippedAt = ShippedAt,
        Outcome = Outcome,
        EndedAt = EndedAt,
        CompletedTotal = CompletedTotal,
        CancelReason = CancelReason,
    };

    public void Set(OrderFacts facts)
    {
        SubmittedAt = facts.SubmittedAt;
        SubmittedTotal = facts.SubmittedTotal;
        Lines = JsonSerializer.Serialize(facts.Lines, Json);
        ReservedAt = facts.ReservedAt;
        ReleasedAt = facts.ReleasedAt;
        PaidAt = facts.PaidAt;
        RefundedAt = facts.RefundedAt;
        ShippedAt = facts.ShippedAt;
        Outcome = facts.Outcome;
        EndedAt = facts.EndedAt;
        CompletedTotal = facts.CompletedTotal;
        CancelReason = facts.CancelReason;
    }
}

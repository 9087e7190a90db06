using Shop.Data;

namespace Shop.Inventory.Domain;

public enum ReservationStatus
{
    Reserved,
    Released,
    Committed,
    Failed,
}

/// <summary>
/// What one order holds (table <c>Reservations</c>, one row per order, with its <see cref="Lines"/>). The statuses
/// and lines are the audit trail: per SKU, the initial stock is what is on hand now plus the committed lines.
/// A <c>Released</c> reservation without lines is a tombstone: the order was cancelled before it reserved anything,
/// and a late <c>ReserveStock</c> is refused.
/// </summary>
public sealed class Reservation
{
    public const string OutOfStock = "out_of_stock";
    public const string Cancelled = "cancelled";
    public const string InvalidQuantity = "invalid_quantity";

    public Guid OrderId { get; init; }
    public ReservationStatus Status { get; private set; }

    /// <summary>Why it failed (<see cref="OutOfStock"/>, <see cref="InvalidQuantity"/>); null otherwise.</summary>
    public string? FailureReason { get; private set; }

    public List<string> UnavailableSkus { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset StatusChangedAt { get; private set; }

    /// <summary>Optimistic concurrency token: two messages changing the same reservation cannot both succeed.</summary>
    public int Version { get; private set; }

    public List<ReservationLine> Lines { get; init; } = [];

    /// <summary>A reservation of <paramref name="lines"/>, one line per SKU (quantities of repeated SKUs added up), in SKU order.</summary>
    public static Reservation Reserve(Guid orderId, IEnumerable<(string Sku, int Quantity)> lines, DateTimeOffset now) => new()
    {
        OrderId = orderId,
        Status = ReservationStatus.Reserved,
        CreatedAt = now.ToStoredPrecision(),
        StatusChangedAt = now.ToStoredPrecision(),
        Lines = lines.GroupBy(x => x.Sku, StringComparer.Ordinal)
            .Select(x => new ReservationLine { OrderId = orderId, Sku = x.Key, Quantity = x.Sum(line => line.Quantity) })
            .OrderBy(x => x.Sku, StringComparer.Ordinal)
            .ToList(),
    };

    public static Reservation Tombstone(Guid orderId, DateTimeOffset now) => new()
    {
        OrderId = orderId,
        Status = ReservationStatus.Released,
        CreatedAt = now.ToStoredPrecision(),
        StatusChangedAt = now.ToStoredPrecision(),
    };

    public void Fail(string reason, IEnumerable<string> unavailableSkus, DateTimeOffset now)
    {
        FailureReason = reason;
        UnavailableSkus = [.. unavailableSkus];
        ChangeTo(ReservationStatus.Failed, now);
    }

    public void Release(DateTimeOffset now) => ChangeTo(ReservationStatus.Released, now);

    public void Commit(DateTimeOffset now) => ChangeTo(ReservationStatus.Committed, now);

    void ChangeTo(ReservationStatus status, DateTimeOffset now)
    {
        Status = status;
        StatusChangedAt = now.ToStoredPrecision();
        Version++;
    }
}

public sealed class ReservationLine
{
    public Guid OrderId { get; init; }
    public required string Sku { get; init; }
    public int Quantity { get; init; }
}

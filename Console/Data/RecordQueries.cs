using Microsoft.EntityFrameworkCore;

namespace Shop.Console.Data;

/// <summary>
/// An order's records in Payments' ledger and Shipping's shipments, read as plain rows (the console knows their columns,
/// not their services' code). Never the sealed payment token: only what an operator needs to follow the money and the parcel.
/// </summary>
public sealed class RecordQueries(ConsoleDatabases databases)
{
    public async Task<IReadOnlyList<PaymentLine>?> PaymentsOfAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var db = databases.Outbox("Payments");
        if (db is null)
            return null;
        return await db.Database.SqlQuery<PaymentLine>(
                $"""SELECT "Sequence", "Kind", "Amount", "At", "Reason", "PaymentId" FROM "Payments" WHERE "OrderId" = {orderId} ORDER BY "Sequence" """)
            .ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<ShipmentLine>?> ShipmentsOfAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var db = databases.Outbox("Shipping");
        if (db is null)
            return null;
        return await db.Database.SqlQuery<ShipmentLine>(
                $"""SELECT "Status", "TrackingNumber", "Country", "CreatedAt", "CancelledAt", "Reason" FROM "Shipments" WHERE "OrderId" = {orderId}""")
            .ToListAsync(cancellationToken);
    }
}

public sealed record PaymentLine(int Sequence, string Kind, decimal Amount, DateTimeOffset At, string? Reason, Guid? PaymentId);

public sealed record ShipmentLine(string Status, string? TrackingNumber, string? Country, DateTimeOffset CreatedAt, DateTimeOffset? CancelledAt, string? Reason);

using Microsoft.EntityFrameworkCore;

namespace Shop.Console.Audit;

/// <summary>Writes and reads the audit: an operation claims its messages first, then records each one's result.</summary>
public sealed class OperatorActionLog(ConsoleDbContext db, TimeProvider clock)
{
    /// <summary>
    /// Claims the messages for the operation (one <c>pending</c> row each, in one transaction). False when the operation
    /// already claimed them: a second post of it acts on nothing.
    /// </summary>
    public async Task<bool> ClaimAsync(Guid operationId, string action, string @operator, IReadOnlyCollection<string> messageIds,
        CancellationToken cancellationToken)
    {
        if (await db.OperatorActions.AnyAsync(x => x.OperationId == operationId, cancellationToken))
            return false;

        var at = clock.GetUtcNow();
        foreach (var messageId in messageIds)
        {
            db.OperatorActions.Add(new OperatorAction
            {
                OperationId = operationId,
                MessageId = messageId,
                Operator = Truncate(@operator, OperatorAction.OperatorLength),
                Action = action,
                At = at,
                Result = "pending",
            });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // A concurrent post of the same operation claimed them first (the key refused our rows); anything else is a
            // real failure.
            db.ChangeTracker.Clear();
            if (await db.OperatorActions.AsNoTracking().AnyAsync(x => x.OperationId == operationId, cancellationToken))
                return false;
            throw;
        }
    }

    /// <summary>Records what happened to each claimed message.</summary>
    public async Task CompleteAsync(Guid operationId, IEnumerable<ActionRecord> results, CancellationToken cancellationToken)
    {
        var rows = await db.OperatorActions.Where(x => x.OperationId == operationId).ToDictionaryAsync(x => x.MessageId, cancellationToken);
        // At stays the claim's time, before anything was acted on: what an order did since then is the action's effect
        // (a re-driven command can move its order on before this write).
        foreach (var result in results)
        {
            if (!rows.TryGetValue(result.MessageId, out var row))
                continue;
            row.Queue = result.Queue is null ? null : Truncate(result.Queue, OperatorAction.QueueLength);
            row.MessageType = result.MessageType is null ? null : Truncate(result.MessageType, OperatorAction.MessageTypeLength);
            row.OrderId = result.OrderId;
            row.Result = Truncate(result.Result, OperatorAction.ResultLength);
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<OperatorAction>> OperationAsync(Guid operationId, CancellationToken cancellationToken) =>
        await db.OperatorActions.AsNoTracking().Where(x => x.OperationId == operationId)
            .OrderBy(x => x.Queue).ThenBy(x => x.MessageId).ToListAsync(cancellationToken);

    static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}

/// <summary>What happened to one message of an operation, as the audit records it.</summary>
public sealed record ActionRecord(string MessageId, string? Queue, string? MessageType, Guid? OrderId, string Result);

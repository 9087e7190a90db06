using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Messaging.Outbox;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Scheduling;

/// <summary>
/// Schedules by sending with a delay through the consume context (the outbox keeps the row until due, under its
/// scheduling token) and cancels by deleting that row, in the unit of work's own transaction.
/// </summary>
sealed class OutboxScheduleMessageProvider(ConsumeContext context) : IScheduleMessageProvider
{
    public async Task<ScheduledMessage<T>> ScheduleSend<T>(Uri destinationAddress, DateTime scheduledTime, T message, IPipe<SendContext<T>> pipe,
        CancellationToken cancellationToken)
        where T : class
    {
        var schedulePipe = new ScheduleSendPipe<T>(pipe, scheduledTime) { ScheduledMessageId = ScheduleTokenIdCache<T>.GetTokenId(message) };
        var endpoint = await context.GetSendEndpoint(destinationAddress).ConfigureAwait(false);
        await endpoint.Send(message, schedulePipe, cancellationToken).ConfigureAwait(false);

        return new ScheduledMessageHandle<T>(schedulePipe.ScheduledMessageId ?? NewId.NextGuid(), scheduledTime, destinationAddress, message);
    }

    public Task CancelScheduledSend(Guid tokenId, CancellationToken cancellationToken) => Withdraw(tokenId, cancellationToken);

    public Task CancelScheduledSend(Uri destinationAddress, Guid tokenId, CancellationToken cancellationToken) => Withdraw(tokenId, cancellationToken);

    /// <summary>
    /// Deletes the scheduled message and its group. A row a delivery pass is sending right now is locked: the delete
    /// waits for that pass, then finds nothing, and the receiver ignores the stale timeout by its token. So does a
    /// message scheduled and cancelled by one unit of work (not saved yet, so not deleted): it is sent when due.
    /// </summary>
    async Task Withdraw(Guid tokenId, CancellationToken cancellationToken)
    {
        // Outside UseShopOutbox there is no unit of work whose outbox could hold the message.
        if (!context.TryGetPayload(out IServiceScope? scope) || scope.ServiceProvider.GetService<OutboxDbContextAccessor>() is not { } accessor)
            return;

        var dbContext = accessor.DbContext;
        await dbContext.Database.ExecuteSqlRawAsync(WithdrawSql.For(dbContext), [tokenId], cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The withdraw statement depends only on the provider and the model: built once per DbContext type.</summary>
static class WithdrawSql
{
    static readonly ConcurrentDictionary<Type, string> Statements = new();

    public static string For(DbContext dbContext) =>
        Statements.GetOrAdd(dbContext.GetType(), _ => DatabaseDialect.For(dbContext).WithdrawScheduledSql(dbContext));
}

using System.Data;
using MassTransit;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Data;
using Shop.Messaging.Configuration;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Outbox;

/// <summary>
/// The unit of work around one consumer or saga message: in a single database transaction it claims the message in
/// the inbox, runs the consumer, writes the outbox rows and saves the consumer's changes. Only after the
/// commit does the delivery service send the outbox rows. A consumer that throws rolls everything back: nothing is
/// published, nothing changes, and the retry policy decides what happens next.
/// </summary>
sealed class TransactionalOutboxFilter<TMessage>(IConsumeScopeProvider scopeProvider, OutboxConsumeOptions options,
    OutboxEndpointOptions endpointOptions)
    : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    // Depends only on the provider and the model; built on the first message.
    string? _claimInboxSql;
    bool _claimFailsOnDuplicate;

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("shop-transactional-outbox");
        scope.Add("consumerType", options.ConsumerType);
    }

    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        // Keyed on this delivery's MessageId: a durable redelivery keeps it (and never committed an inbox row),
        // while MassTransit's own re-sends (Redeliver on a missing saga) carry a new one.
        var messageId = context.MessageId
            ?? throw new MessageException(typeof(TMessage), "A MessageId is required for the inbox.");

        await using var scope = await scopeProvider.GetScope(context).ConfigureAwait(false);
        var dbContext = scope.GetService<OutboxDbContextAccessor>().DbContext;
        var clock = scope.GetService<TimeProvider>();
        var afterCommit = scope.GetService<AfterCommit>();
        var cancellationToken = context.CancellationToken;

        // Every attempt starts from the database, not from what a failed attempt left tracked: the scope (and so this
        // DbContext) can outlive an attempt, since a scoped filter in front of the retry may have created it. A retry
        // of a concurrency conflict then reloads the saga at its new version instead of failing on the stale one.
        dbContext.ChangeTracker.Clear();

        // A failure rolls the whole unit of work back, so EF's automatic savepoint around each SaveChanges (two more
        // round trips) buys nothing here.
        dbContext.Database.AutoSavepointsEnabled = false;
        await using var transaction = await dbContext.Database
            .BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken).ConfigureAwait(false);

        // Unless the endpoint's consumers claim the message by its id themselves (OutboxEndpointOptions.ClaimInbox).
        if (endpointOptions.ClaimInbox && !await ClaimInbox(dbContext, clock, messageId, cancellationToken).ConfigureAwait(false))
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            var logger = scope.GetService<ILogger<TransactionalOutboxFilter<TMessage>>>();
            logger.LogInformation("Duplicate {MessageType} {MessageId} for {ConsumerType} ignored (already consumed)",
                TypeCache<TMessage>.ShortName, messageId, options.ConsumerType);
            // Consumed the first time: acknowledge it as such, or MassTransit would move it to the _skipped queue.
            await context.NotifyConsumed(context, TimeSpan.Zero, options.ConsumerType).ConfigureAwait(false);
            return;
        }

        afterCommit.BeginUnitOfWork();
        var buffer = new OutboxBuffer(dbContext, clock);
        var outboxContext = new TransactionalConsumeContext<TMessage>(scope.Context, options, scope.GetService<IServiceProvider>(), buffer);

        await next.Send(outboxContext).ConfigureAwait(false);
        await outboxContext.ConsumeCompleted.ConfigureAwait(false);

        await dbContext.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        // The commit wakes the delivery service through OutboxCommitInterceptor.
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        afterCommit.Committed();
    }

    /// <summary>
    /// The inbox claim, the transaction's first statement: it records (message, consumer) and, for a copy of a message
    /// already consumed, affects nothing (false). A copy being consumed right now waits here for that outcome.
    /// </summary>
    async Task<bool> ClaimInbox(DbContext dbContext, TimeProvider clock, Guid messageId, CancellationToken cancellationToken)
    {
        if (_claimInboxSql is null)
        {
            var dialect = DatabaseDialect.For(dbContext);
            _claimFailsOnDuplicate = dialect.ClaimFailsOnDuplicate;
            _claimInboxSql = dialect.ClaimInboxSql(dbContext);
        }

        try
        {
            return await dbContext.Database.ExecuteSqlRawAsync(_claimInboxSql,
                [messageId, options.ConsumerId, clock.GetUtcNow().UtcDateTime], cancellationToken).ConfigureAwait(false) > 0;
        }
        catch (Exception exception) when (_claimFailsOnDuplicate && DatabaseErrors.IsUniqueViolation(exception))
        {
            // SQL Server's plain-insert claim: the key exists, so the message was consumed already.
            return false;
        }
    }
}

/// <summary>Gives the messaging building blocks the service's DbContext without knowing its type.</summary>
public sealed class OutboxDbContextAccessor(DbContext dbContext)
{
    public DbContext DbContext { get; } = dbContext;
}

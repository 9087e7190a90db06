using MassTransit;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Messaging.Outbox;

namespace Shop.Messaging.Sagas;

/// <summary>
/// MassTransit saga repository on the service's own DbContext, with optimistic concurrency. Under the transactional
/// outbox the saga's load, state change, inbox row and outgoing messages share one transaction, which the outbox
/// commits. A conflicting update (the row's <c>Version</c> moved) throws <see cref="DbUpdateConcurrencyException"/>;
/// the endpoint's retry policy then runs the whole message again on fresh state — never lost, never overwritten. A
/// state stored under a name in <see cref="SagaStateAliases{TSaga}"/> is loaded under the name the machine declares.
/// </summary>
public sealed class EfSagaRepositoryContextFactory<TSaga>(
    OutboxDbContextAccessor dbContextAccessor,
    ISagaConsumeContextFactory<DbContext, TSaga> consumeContextFactory,
    IServiceProvider services)
    : ISagaRepositoryContextFactory<TSaga>, IQuerySagaRepositoryContextFactory<TSaga>, ILoadSagaRepositoryContextFactory<TSaga>
    where TSaga : class, ISaga
{
    readonly DbContext _dbContext = dbContextAccessor.DbContext;
    readonly SagaStateAliases<TSaga>? _aliases = services.GetService<SagaStateAliases<TSaga>>();

    public void Probe(ProbeContext context)
    {
        context.Add("persistence", "shop-efcore");
        context.Add("entity", typeof(TSaga).Name);
    }

    public async Task Send<T>(ConsumeContext<T> context, IPipe<SagaRepositoryContext<TSaga, T>> next)
        where T : class
    {
        var repositoryContext = new EfSagaRepositoryContext<TSaga, T>(_dbContext, context, consumeContextFactory, _aliases);
        await WithinTransaction(() => next.Send(repositoryContext), context.CancellationToken).ConfigureAwait(false);
    }

    public async Task SendQuery<T>(ConsumeContext<T> context, ISagaQuery<TSaga> query, IPipe<SagaRepositoryQueryContext<TSaga, T>> next)
        where T : class
    {
        await WithinTransaction(async () =>
        {
            var instances = await _dbContext.Set<TSaga>()
                .Where(query.FilterExpression)
                .ToListAsync(context.CancellationToken).ConfigureAwait(false);
            foreach (var instance in instances)
                _aliases?.Apply(_dbContext, instance);

            var repositoryContext = new EfSagaRepositoryContext<TSaga, T>(_dbContext, context, consumeContextFactory, _aliases);
            await next.Send(new LoadedSagaRepositoryQueryContext<TSaga, T>(repositoryContext, instances)).ConfigureAwait(false);
        }, context.CancellationToken).ConfigureAwait(false);
    }

    public Task<T> Execute<T>(Func<LoadSagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new EfSagaReadContext<TSaga>(_dbContext, cancellationToken, _aliases));

    public Task<T> Execute<T>(Func<QuerySagaRepositoryContext<TSaga>, Task<T>> asyncMethod, CancellationToken cancellationToken = default)
        where T : class =>
        asyncMethod(new EfSagaReadContext<TSaga>(_dbContext, cancellationToken, _aliases));

    /// <summary>Joins the outbox's transaction when there is one; otherwise (no outbox on the endpoint) owns one.</summary>
    async Task WithinTransaction(Func<Task> callback, CancellationToken cancellationToken)
    {
        if (_dbContext.Database.CurrentTransaction is not null)
        {
            await callback().ConfigureAwait(false);
            return;
        }

        await using var transaction = await _dbContext.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await callback().ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}

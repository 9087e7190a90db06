using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Shop.Data;

namespace Shop.Messaging.Sagas;

sealed class EfSagaRepositoryContext<TSaga, TMessage> : ConsumeContextScope<TMessage>, SagaRepositoryContext<TSaga, TMessage>
    where TSaga : class, ISaga
    where TMessage : class
{
    readonly DbContext dbContext;
    readonly ConsumeContext<TMessage> consumeContext;
    readonly ISagaConsumeContextFactory<DbContext, TSaga> factory;
    readonly SagaStateAliases<TSaga>? aliases;

    public EfSagaRepositoryContext(DbContext dbContext, ConsumeContext<TMessage> consumeContext, ISagaConsumeContextFactory<DbContext, TSaga> factory,
        SagaStateAliases<TSaga>? aliases = null)
        : base(consumeContext, dbContext)
    {
        this.dbContext = dbContext;
        this.consumeContext = consumeContext;
        this.factory = factory;
        this.aliases = aliases;
    }

    readonly SemaphoreSlim _inUse = new(1);

    public Task<SagaConsumeContext<TSaga, TMessage>> Add(TSaga instance) =>
        factory.CreateSagaConsumeContext(dbContext, consumeContext, instance, SagaConsumeContextMode.Add);

    /// <summary>
    /// Inserts the new instance at once (MassTransit's insert-on-initial mode). When a concurrent message created the
    /// same instance first, the insert is rolled back to a savepoint and null returned, so MassTransit loads it instead.
    /// </summary>
    public async Task<SagaConsumeContext<TSaga, TMessage>> Insert(TSaga instance)
    {
        var transaction = dbContext.Database.CurrentTransaction;
        const string savepoint = "saga_insert";
        if (transaction is not null)
            await transaction.CreateSavepointAsync(savepoint, CancellationToken).ConfigureAwait(false);

        var entry = dbContext.Set<TSaga>().Add(instance);
        try
        {
            await dbContext.SaveChangesAsync(CancellationToken).ConfigureAwait(false);
            return await factory.CreateSagaConsumeContext(dbContext, consumeContext, instance, SagaConsumeContextMode.Insert).ConfigureAwait(false);
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueViolation(exception) && transaction is not null)
        {
            entry.State = EntityState.Detached;
            await transaction.RollbackToSavepointAsync(savepoint, CancellationToken).ConfigureAwait(false);
            return null!;
        }
    }

    public async Task<SagaConsumeContext<TSaga, TMessage>> Load(Guid correlationId)
    {
        var instance = await SagaQueries<TSaga>.Load(dbContext, correlationId, CancellationToken).ConfigureAwait(false);
        if (instance is not null)
            aliases?.Apply(dbContext, instance);

        return instance is null
            ? null!
            : await factory.CreateSagaConsumeContext(dbContext, consumeContext, instance, SagaConsumeContextMode.Load).ConfigureAwait(false);
    }

    public Task Save(SagaConsumeContext<TSaga> context) => Locked(() =>
    {
        BumpVersion(context.Saga);
        dbContext.Set<TSaga>().Add(context.Saga);
        return dbContext.SaveChangesAsync(CancellationToken);
    });

    public Task Update(SagaConsumeContext<TSaga> context) => Locked(() =>
    {
        BumpVersion(context.Saga);
        return dbContext.SaveChangesAsync(CancellationToken);
    });

    public Task Delete(SagaConsumeContext<TSaga> context) => Locked(() =>
    {
        dbContext.Set<TSaga>().Remove(context.Saga);
        return dbContext.SaveChangesAsync(CancellationToken);
    });

    public Task Discard(SagaConsumeContext<TSaga> context) => Task.CompletedTask;

    public Task Undo(SagaConsumeContext<TSaga> context) => Locked(() =>
    {
        var entry = dbContext.ChangeTracker.Entries<TSaga>().FirstOrDefault(x => x.Entity.CorrelationId == context.Saga.CorrelationId);
        if (entry is not null)
            entry.State = EntityState.Unchanged;
        return Task.CompletedTask;
    });

    public Task<SagaConsumeContext<TSaga, T>> CreateSagaConsumeContext<T>(ConsumeContext<T> consumeContext, TSaga instance, SagaConsumeContextMode mode)
        where T : class =>
        factory.CreateSagaConsumeContext(dbContext, consumeContext, instance, mode);

    async Task Locked(Func<Task> action)
    {
        await _inUse.WaitAsync(CancellationToken).ConfigureAwait(false);
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            _inUse.Release();
        }
    }

    /// <summary>The version is the concurrency token: the UPDATE matches only the version that was read.</summary>
    void BumpVersion(TSaga saga)
    {
        if (saga is ISagaVersion versioned)
            versioned.Version++;
    }
}

/// <summary>Read-only access for MassTransit's load/query saga repositories (used by the test harness and tools).</summary>
sealed class EfSagaReadContext<TSaga>(DbContext dbContext, CancellationToken cancellationToken, SagaStateAliases<TSaga>? aliases = null)
    : BasePipeContext(cancellationToken), LoadSagaRepositoryContext<TSaga>, QuerySagaRepositoryContext<TSaga>
    where TSaga : class, ISaga
{
    public async Task<TSaga> Load(Guid correlationId)
    {
        var instance = await dbContext.Set<TSaga>().AsNoTracking().SingleOrDefaultAsync(x => x.CorrelationId == correlationId, CancellationToken)
            .ConfigureAwait(false);
        if (instance is not null)
            aliases?.Apply(dbContext, instance);
        return instance!;
    }

    public async Task<SagaRepositoryQueryContext<TSaga>> Query(ISagaQuery<TSaga> query, CancellationToken cancellationToken = default)
    {
        var ids = await dbContext.Set<TSaga>()
            .AsNoTracking()
            .Where(query.FilterExpression)
            .Select(x => x.CorrelationId)
            .ToListAsync(cancellationToken).ConfigureAwait(false);

        return new DefaultSagaRepositoryQueryContext<TSaga>(this, ids);
    }
}

/// <summary>
/// The saga load runs once per saga message: compiled once per saga type, it skips EF's per-call expression work
/// (parameter extraction and the query-cache lookup).
/// </summary>
static class SagaQueries<TSaga>
    where TSaga : class, ISaga
{
    public static readonly Func<DbContext, Guid, CancellationToken, Task<TSaga?>> Load =
        EF.CompileAsyncQuery((DbContext db, Guid correlationId, CancellationToken _) =>
            db.Set<TSaga>().AsTracking().SingleOrDefault(x => x.CorrelationId == correlationId));
}

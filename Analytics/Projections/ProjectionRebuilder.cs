using Microsoft.EntityFrameworkCore;
using Shop.Analytics.Data;
using Shop.Analytics.Domain;
using Shop.Data;
using Shop.Messaging.Retry;

namespace Shop.Analytics.Projections;

/// <summary>The outcome of a rebuild: the generation now live and how many orders it was computed from.</summary>
public sealed record RebuildResult(IReadOnlyList<string> Projections, int Generation, int Orders);

/// <summary>A rebuild was refused because another one is running.</summary>
public sealed class RebuildInProgressException(string message) : Exception(message);

/// <summary>
/// Recomputes projections from the log into a new generation of their tables while ingest keeps writing, then swaps it
/// in (docs/analytics.md#rebuilds):
/// <list type="number">
/// <item>mark the new generation as building: from then on every event's diff goes to it too, for orders it already counts;</item>
/// <item>wait until every transaction that could have missed the mark has ended;</item>
/// <item>read the log gap-safely (only below the commit horizon) and add each order it names to the new generation,
/// under the order's facts version like any event;</item>
/// <item>swap the live pointer, then drop the old generation once no writer can still be using it.</item>
/// </list>
/// One rebuild at a time (per database).
/// </summary>
public sealed class ProjectionRebuilder(IServiceScopeFactory scopes, TimeProvider clock, AnalyticsMetrics metrics, ILogger<ProjectionRebuilder> logger)
{
    const int BatchSize = 500;
    static readonly TimeSpan HorizonTimeout = TimeSpan.FromMinutes(2);
    readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Rebuilds the named projections (all when empty).</summary>
    public async Task<RebuildResult> RebuildAsync(IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        var projections = names.Count == 0 ? Domain.Projections.All : names.Select(name => Domain.Projections.Named(name)
            ?? throw new ArgumentException($"Unknown projection '{name}'.", nameof(names))).Distinct().ToList();
        if (!await _running.WaitAsync(TimeSpan.Zero, cancellationToken))
            throw new RebuildInProgressException("A rebuild is running in this instance.");
        try
        {
            var generation = await MarkAsync(projections, cancellationToken);
            logger.LogInformation("Rebuilding {Projections} into generation {Generation}", string.Join(", ", projections.Select(x => x.Name)), generation);

            var stamp = await ScalarAsync(sql => sql.StampNowSql, cancellationToken);
            await WaitForHorizonAsync(stamp, cancellationToken);
            var orders = await CoverLogAsync(generation, stamp, cancellationToken);

            await SwapAsync(projections, generation, cancellationToken);
            foreach (var projection in projections)
                metrics.Rebuilt(projection.Name);
            logger.LogInformation("Generation {Generation} of {Projections} is live ({Orders} orders)", generation,
                string.Join(", ", projections.Select(x => x.Name)), orders);

            // A writer that read the old pointer may still add to the old rows; they go once it has ended.
            await WaitForHorizonAsync(await ScalarAsync(sql => sql.StampNowSql, cancellationToken), cancellationToken);
            await DropOldGenerationsAsync(projections, cancellationToken);
            return new RebuildResult(projections.Select(x => x.Name).ToList(), generation, orders);
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>
    /// Creates the state of a projection seen for the first time (generation 0, no code: it is rebuilt), abandons a
    /// rebuild a previous process left unfinished, and returns the projections whose live rows come from other code.
    /// </summary>
    public async Task<IReadOnlyList<Projection>> PrepareAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
        var states = await dbContext.Projections.ToListAsync(cancellationToken);
        foreach (var projection in Domain.Projections.All.Where(p => states.All(s => s.Name != p.Name)))
            dbContext.Projections.Add(new ProjectionState { Name = projection.Name, LiveGeneration = 0, CodeVersion = "" });
        foreach (var state in states.Where(x => x.BuildingGeneration is not null))
        {
            logger.LogWarning("Abandoning the unfinished rebuild of {Projection} (generation {Generation}); it is started again",
                state.Name, state.BuildingGeneration);
            state.BuildingGeneration = null;
            state.BuildingCodeVersion = null;
            state.CodeVersion = "";
        }

        try
        {
            await dbContext.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueViolation(exception))
        {
            // Another instance created the states first.
        }

        var current = await dbContext.Projections.AsNoTracking().ToListAsync(cancellationToken);
        return Domain.Projections.All.Where(p => current.Single(s => s.Name == p.Name).CodeVersion != p.CodeVersion).ToList();
    }

    async Task<int> MarkAsync(IReadOnlyList<Projection> projections, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
        await using var transaction = await dbContext.Database.BeginTransactionAsync(cancellationToken);
        var states = await dbContext.Projections.ToListAsync(cancellationToken);
        if (states.FirstOrDefault(x => x.BuildingGeneration is not null) is { } busy)
            throw new RebuildInProgressException($"'{busy.Name}' is being rebuilt (generation {busy.BuildingGeneration}).");

        var generation = states.Select(x => Math.Max(x.LiveGeneration, x.BuildingGeneration ?? 0)).DefaultIfEmpty(0).Max() + 1;
        var names = projections.Select(x => x.Name).ToList();
        // Conditional: of two instances marking at once, one changes the rows and the other finds them taken.
        var now = clock.GetUtcNow();
        var marked = await dbContext.Projections.Where(x => names.Contains(x.Name) && x.BuildingGeneration == null)
            .ExecuteUpdateAsync(set => set.SetProperty(x => x.BuildingGeneration, generation).SetProperty(x => x.RebuildStartedAt, now), cancellationToken);
        if (marked != names.Count)
            throw new RebuildInProgressException("Another rebuild started at the same time.");
        foreach (var projection in projections)
        {
            await dbContext.Projections.Where(x => x.Name == projection.Name)
                .ExecuteUpdateAsync(set => set.SetProperty(x => x.BuildingCodeVersion, projection.CodeVersion), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return generation;
    }

    /// <summary>Adds every order the log held before the mark to <paramref name="generation"/>; returns how many orders the log named.</summary>
    async Task<int> CoverLogAsync(int generation, long stamp, CancellationToken cancellationToken)
    {
        var seen = new HashSet<Guid>();
        var cursor = (Stamp: -1L, Position: 0L);
        while (true)
        {
            List<LogCursorRow> batch;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var dbContext = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
                var sql = AnalyticsSql.For(dbContext);
                // Rows stamped at or above the mark's stamp were written knowing of the new generation.
                batch = await dbContext.Database.SqlQueryRaw<LogCursorRow>(sql.ReadSafeSql, stamp, cursor.Stamp, cursor.Position, BatchSize)
                    .ToListAsync(cancellationToken);
            }

            if (batch.Count == 0)
                return seen.Count;
            cursor = (batch[^1].Stamp, batch[^1].Position);
            foreach (var orderId in batch.Select(x => x.OrderId).Where(seen.Add))
                await CoverOrderAsync(orderId, generation, cancellationToken);
        }
    }

    async Task CoverOrderAsync(Guid orderId, int generation, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var dbContext = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
                await using var transaction = await dbContext.Database.BeginTransactionAsync(cancellationToken);
                await scope.ServiceProvider.GetRequiredService<OrderProjector>().RefreshAsync(orderId, generation, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return;
            }
            catch (Exception exception) when (attempt < 10 && (TransientFaults.IsTransient(exception) || TransientFaults.IsUniqueViolationRace(exception)))
            {
                // An event of this order committed first: take the order again on its new version.
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken);
            }
        }
    }

    async Task SwapAsync(IReadOnlyList<Projection> projections, int generation, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
        var names = projections.Select(x => x.Name).ToList();
        var states = await dbContext.Projections.Where(x => names.Contains(x.Name)).ToListAsync(cancellationToken);
        foreach (var state in states)
        {
            state.LiveGeneration = generation;
            state.CodeVersion = state.BuildingCodeVersion ?? "";
            state.BuildingGeneration = null;
            state.BuildingCodeVersion = null;
            state.RebuiltAt = clock.GetUtcNow();
        }

        await dbContext.SaveChangesAsync(cancellationToken);
    }

    async Task DropOldGenerationsAsync(IReadOnlyList<Projection> projections, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
        var states = await dbContext.Projections.AsNoTracking().ToDictionaryAsync(x => x.Name, cancellationToken);
        foreach (var projection in projections)
        {
            var state = states[projection.Name];
            var keep = new[] { state.LiveGeneration, state.BuildingGeneration ?? state.LiveGeneration };
            _ = projection.Name switch
            {
                Domain.Projections.Revenue => await dbContext.RevenueByDay.Where(x => !keep.Contains(x.Generation)).ExecuteDeleteAsync(cancellationToken),
                Domain.Projections.Skus => await dbContext.SkuUnits.Where(x => !keep.Contains(x.Generation)).ExecuteDeleteAsync(cancellationToken),
                Domain.Projections.Cancellations => await dbContext.CancellationsByReason.Where(x => !keep.Contains(x.Generation)).ExecuteDeleteAsync(cancellationToken),
                Domain.Projections.Funnel => await dbContext.FunnelSteps.Where(x => !keep.Contains(x.Generation)).ExecuteDeleteAsync(cancellationToken),
                _ => 0,
            };
        }
    }

    async Task<long> ScalarAsync(Func<AnalyticsSql, string> statement, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
        return await dbContext.Database.SqlQueryRaw<long>(statement(AnalyticsSql.For(dbContext))).SingleAsync(cancellationToken);
    }

    /// <summary>Waits until every transaction running when <paramref name="stamp"/> was taken has ended.</summary>
    async Task WaitForHorizonAsync(long stamp, CancellationToken cancellationToken)
    {
        var deadline = clock.GetUtcNow() + HorizonTimeout;
        while (await ScalarAsync(sql => sql.HorizonSql, cancellationToken) < stamp)
        {
            if (clock.GetUtcNow() > deadline)
                throw new TimeoutException($"A transaction has been open for more than {HorizonTimeout}; the rebuild cannot read the log safely past it.");
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }
}

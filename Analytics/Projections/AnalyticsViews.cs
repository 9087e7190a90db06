using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Shop.Analytics.Data;
using Shop.Analytics.Domain;

namespace Shop.Analytics.Projections;

/// <summary>Which clock an <c>asOf</c> reads: what had happened by then, or what the shop had recorded by then.</summary>
public enum AsOfAxis
{
    Occurred,
    Recorded,
}

/// <summary>A point in time on one axis (<c>?asOf=…&amp;axis=…</c>).</summary>
public sealed record AsOf(DateTimeOffset Time, AsOfAxis Axis);

/// <summary>
/// Reads a view: now, from its live table; as of a time, by re-deriving every order's facts from the log rows on or
/// before that time on the chosen axis (exact; one pass over the log, fine at this shop's scale).
/// </summary>
public sealed class AnalyticsViews(AnalyticsDbContext dbContext)
{
    /// <summary>The view's rows, keyed and valued as <see cref="Projection.Rows"/> gives them.</summary>
    public async Task<IReadOnlyList<ViewRow>> RowsAsync(Projection projection, AsOf? asOf, CancellationToken cancellationToken) =>
        asOf is null ? await LiveRowsAsync(projection, cancellationToken) : projection.Rows(await FactsAsOfAsync(asOf, cancellationToken));

    /// <summary>The facts of every order: stored ones now, re-derived from the log as of a time.</summary>
    public async Task<IReadOnlyList<OrderFacts>> FactsAsync(AsOf? asOf, CancellationToken cancellationToken)
    {
        if (asOf is not null)
            return await FactsAsOfAsync(asOf, cancellationToken);
        var rows = await dbContext.OrderFacts.AsNoTracking().ToListAsync(cancellationToken);
        return rows.Select(x => x.ToFacts()).ToList();
    }

    async Task<IReadOnlyList<OrderFacts>> FactsAsOfAsync(AsOf asOf, CancellationToken cancellationToken)
    {
        var events = dbContext.Events.AsNoTracking();
        events = asOf.Axis == AsOfAxis.Occurred ? events.Where(x => x.OccurredAt <= asOf.Time) : events.Where(x => x.RecordedAt <= asOf.Time);
        var logged = await events.ToListAsync(cancellationToken);
        return logged.GroupBy(x => x.OrderId)
            .Select(order => OrderFacts.Derive(order.Key, order.Select(OrderProjector.ToOrderEvent)))
            .ToList();
    }

    // One statement each, joined with the live pointer: a swap between two reads can never mix generations.
    async Task<IReadOnlyList<ViewRow>> LiveRowsAsync(Projection projection, CancellationToken cancellationToken)
    {
        var live = dbContext.Projections.Where(x => x.Name == projection.Name).Select(x => x.LiveGeneration);
        return projection.Name switch
        {
            Domain.Projections.Revenue => (await dbContext.RevenueByDay.Where(x => live.Contains(x.Generation)).ToListAsync(cancellationToken))
                .Select(x => new ViewRow(x.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    [x.OrdersSubmitted, x.OrdersCompleted, x.OrdersCancelled, x.Revenue])).ToList(),
            Domain.Projections.Skus => (await dbContext.SkuUnits.Where(x => live.Contains(x.Generation)).ToListAsync(cancellationToken))
                .Select(x => new ViewRow(x.Sku, [x.UnitsSold, x.UnitsCancelled])).ToList(),
            Domain.Projections.Cancellations => (await dbContext.CancellationsByReason.Where(x => live.Contains(x.Generation)).ToListAsync(cancellationToken))
                .Select(x => new ViewRow(x.Reason, [x.Orders])).ToList(),
            Domain.Projections.Funnel => (await dbContext.FunnelSteps.Where(x => live.Contains(x.Generation)).ToListAsync(cancellationToken))
                .Select(x => new ViewRow(x.Step, [x.Orders])).ToList(),
            _ => throw new ArgumentException($"Unknown projection '{projection.Name}'.", nameof(projection)),
        };
    }
}

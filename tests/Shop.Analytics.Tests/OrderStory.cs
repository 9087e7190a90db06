using Shop.Contracts;

namespace Shop.Analytics.Tests;

/// <summary>How far an order got and how it ended, in a test's own terms (independent of the service's code).</summary>
public enum StoryEnd
{
    Completed,
    CancelledAfterSubmit,
    CancelledAfterReserve,
    CancelledAfterPayment,
    Open,
}

/// <summary>
/// One order's life as the five services would announce it, with fixed event ids (so a test can deliver an event again
/// under the same id) and fixed producer times: submitted at <see cref="Start"/>, reserved 1 s later, paid 3 s, shipped
/// 6 s, completed 7 s; a cancellation comes at 10 s.
/// </summary>
public sealed record OrderStory(Guid OrderId, DateTimeOffset Start, IReadOnlyList<OrderLine> Lines, StoryEnd End, string? Reason = null)
{
    public decimal Total => Lines.Sum(x => x.Quantity * x.UnitPrice);

    public DateTimeOffset EndedAt => End == StoryEnd.Completed ? Start.AddSeconds(7) : Start.AddSeconds(10);

    public int StepsReached => End switch
    {
        StoryEnd.Completed => 4,
        StoryEnd.CancelledAfterSubmit => 1,
        StoryEnd.CancelledAfterReserve => 2,
        StoryEnd.CancelledAfterPayment => 3,
        _ => 2,
    };

    public static OrderStory Completed(DateTimeOffset start, params OrderLine[] lines) => new(Guid.NewGuid(), start, lines, StoryEnd.Completed);

    public static OrderStory Cancelled(DateTimeOffset start, StoryEnd end, string reason, params OrderLine[] lines) =>
        new(Guid.NewGuid(), start, lines, end, reason);

    /// <summary>The events in the order the services would publish them, each with its own fixed id.</summary>
    public IReadOnlyList<(Guid EventId, object Message)> Events()
    {
        var events = new List<object>
        {
            new OrderSubmitted(OrderId, "customer-1", "ada@example.com", Lines, Total, new ShippingAddress("1 Main St", "Berlin", "10115", "DE"), Start),
        };
        if (StepsReached >= 2)
            events.Add(new StockReserved(OrderId, Start.AddSeconds(1)));
        if (StepsReached >= 3)
            events.Add(new PaymentCaptured(OrderId, Guid.NewGuid(), Total, Start.AddSeconds(3)));
        if (StepsReached >= 4)
            events.Add(new ShipmentCreated(OrderId, Guid.NewGuid(), "SHP-1", Start.AddSeconds(6)));
        switch (End)
        {
            case StoryEnd.Completed:
                events.Add(new OrderCompleted(OrderId, "customer-1", "ada@example.com", Total, "SHP-1", EndedAt));
                break;
            case StoryEnd.Open:
                break;
            default:
                if (StepsReached >= 3)
                    events.Add(new PaymentRefunded(OrderId, Guid.NewGuid(), Total, Start.AddSeconds(8)));
                if (StepsReached >= 2)
                    events.Add(new StockReleased(OrderId, Start.AddSeconds(9)));
                events.Add(new OrderCancelled(OrderId, "customer-1", "ada@example.com", Reason!, EndedAt));
                break;
        }

        // Deterministic ids per story and step: the same story yields the same ids every time.
        return events.Select((message, i) => (new Guid(OrderId.ToByteArray()[..12].Concat(BitConverter.GetBytes(i + 1)).ToArray()), message)).ToList();
    }
}

/// <summary>What the views must say about a set of stories, computed here from the stories alone.</summary>
public static class Expected
{
    public static List<(string Sku, long UnitsSold, long UnitsCancelled)> Skus(IEnumerable<OrderStory> stories) => stories
        .Where(x => x.End != StoryEnd.Open)
        .SelectMany(x => x.Lines.Select(line => (line.Sku, Sold: x.End == StoryEnd.Completed ? line.Quantity : 0, Cancelled: x.End == StoryEnd.Completed ? 0 : line.Quantity)))
        .GroupBy(x => x.Sku)
        .Select(g => (g.Key, (long)g.Sum(x => x.Sold), (long)g.Sum(x => x.Cancelled)))
        .OrderBy(x => x.Key, StringComparer.Ordinal)
        .ToList();

    public static List<(string Reason, long Orders)> Cancellations(IEnumerable<OrderStory> stories) => stories
        .Where(x => x.Reason is not null && x.End is not (StoryEnd.Completed or StoryEnd.Open))
        .GroupBy(x => x.Reason!)
        .Select(g => (g.Key, (long)g.Count()))
        .OrderByDescending(x => x.Item2).ThenBy(x => x.Key, StringComparer.Ordinal)
        .ToList();

    public static List<(DateOnly Day, long Submitted, long Completed, long Cancelled, decimal Revenue)> Revenue(IEnumerable<OrderStory> stories)
    {
        var list = stories.ToList();
        var days = list.Select(x => DateOnly.FromDateTime(x.Start.UtcDateTime))
            .Concat(list.Where(x => x.End != StoryEnd.Open).Select(x => DateOnly.FromDateTime(x.EndedAt.UtcDateTime))).Distinct().Order();
        return days.Select(day => (day,
                (long)list.Count(x => DateOnly.FromDateTime(x.Start.UtcDateTime) == day),
                (long)list.Count(x => x.End == StoryEnd.Completed && DateOnly.FromDateTime(x.EndedAt.UtcDateTime) == day),
                (long)list.Count(x => x.End is not (StoryEnd.Completed or StoryEnd.Open) && DateOnly.FromDateTime(x.EndedAt.UtcDateTime) == day),
                list.Where(x => x.End == StoryEnd.Completed && DateOnly.FromDateTime(x.EndedAt.UtcDateTime) == day).Sum(x => x.Total)))
            .ToList();
    }

    /// <summary>Orders at submitted, reserved, paid, shipped.</summary>
    public static long[] Funnel(IEnumerable<OrderStory> stories)
    {
        var list = stories.ToList();
        return [.. Enumerable.Range(1, 4).Select(step => (long)list.Count(x => x.StepsReached >= step))];
    }
}

using CsCheck;
using Shop.Analytics.Domain;
using Shop.Contracts;

namespace Shop.Analytics.Tests.Facts;

/// <summary>
/// The views are sums of every order's contribution, kept by applying (new facts − old facts) as each event arrives.
/// Whatever the arrival order across orders, with duplicates and late events, the sums must equal the views computed
/// at once from the final facts, and those must say what the stories say.
/// </summary>
public sealed class When_views_change_by_the_difference
{
    static readonly DateTimeOffset Start = new(2026, 12, 1, 23, 59, 55, TimeSpan.Zero);

    static readonly Gen<OrderStory> Story =
        Gen.Select(Gen.Enum<StoryEnd>(), Gen.Int[1, 3], Gen.Int[1, 4], Gen.Int[0, 2], Gen.Int[0, 100], (end, lines, quantity, reason, minutes) =>
            new OrderStory(Guid.NewGuid(), Start.AddMinutes(-minutes), Enumerable.Range(1, lines).Select(i => new OrderLine($"SKU-{i}", quantity, 1.25m * i)).ToList(),
                end, end is StoryEnd.Completed or StoryEnd.Open ? null : new[] { "OutOfStock", "PaymentDeclined", "ShippingFailed" }[reason]));

    [Fact]
    public void Should_converge_on_the_views_of_the_final_facts_whatever_the_arrival_order()
    {
        Gen.Select(Story.Array[1, 6], Gen.Int[0, 10000]).Sample((stories, seed) =>
        {
            var random = new Random(seed);
            var deliveries = stories.SelectMany(story => story.Events().Select(x => (story.OrderId, x.EventId, x.Message))).ToList();
            deliveries = deliveries.Concat(deliveries.Where(_ => random.Next(4) == 0)).OrderBy(_ => random.Next()).ToList();

            var tables = Domain.Projections.All.ToDictionary(p => p.Name, _ => new Dictionary<string, decimal[]>());
            var logged = new Dictionary<Guid, List<OrderEvent>>();
            var stored = new Dictionary<Guid, OrderFacts>();
            foreach (var (orderId, eventId, message) in deliveries)
            {
                var events = logged.TryGetValue(orderId, out var list) ? list : logged[orderId] = [];
                if (events.Any(x => x.EventId == eventId))
                    continue;
                events.Add(new OrderEvent(eventId, orderId, EventBodies.Identify(message).OccurredAt, message));
                var after = OrderFacts.Derive(orderId, events);
                var before = stored.GetValueOrDefault(orderId);
                foreach (var projection in Domain.Projections.All)
                    Apply(tables[projection.Name], projection.Diff(before, after));
                stored[orderId] = after;
            }

            foreach (var projection in Domain.Projections.All)
            {
                var expected = projection.Rows(stored.Values).ToDictionary(x => x.Key, x => x.Values.ToArray());
                Assert.Equal(expected.OrderBy(x => x.Key).Select(x => (x.Key, string.Join(",", x.Value))),
                    tables[projection.Name].OrderBy(x => x.Key).Select(x => (x.Key, string.Join(",", x.Value))));
            }

            Assert.Equal(Expected.Skus(stories), Reports.Skus(Domain.Projections.SkuUnits.Rows(stored.Values)).Select(x => (x.Sku, x.UnitsSold, x.UnitsCancelled)).ToList());
            Assert.Equal(Expected.Cancellations(stories),
                Reports.Cancellations(Domain.Projections.CancellationsByReason.Rows(stored.Values)).Select(x => (x.Reason, x.Orders)).ToList());
            Assert.Equal(Expected.Revenue(stories),
                Reports.Revenue(Domain.Projections.RevenueByDay.Rows(stored.Values)).Select(x => (x.Day, x.OrdersSubmitted, x.OrdersCompleted, x.OrdersCancelled, x.Revenue)).ToList());
        }, iter: 300);
    }

    [Fact]
    public void Should_leave_no_row_behind_when_an_order_moves_to_another_key()
    {
        var orderId = Guid.NewGuid();
        var open = OrderFacts.Derive(orderId, [new OrderEvent(Guid.NewGuid(), orderId, Start,
            new OrderCancelled(orderId, "c", "e", CancellationReason.PaymentDeclined, Start))]);
        var moved = open with { CancelReason = CancellationReason.PaymentTimeout };

        var diff = Domain.Projections.CancellationsByReason.Diff(open, moved);

        Assert.Equal([new ViewRow(CancellationReason.PaymentDeclined, [-1]).Key, CancellationReason.PaymentTimeout], diff.Select(x => x.Key));
        Assert.Equal([-1m, 1m], diff.Select(x => x.Values[0]));
        Assert.Empty(Domain.Projections.CancellationsByReason.Diff(open, open));
    }

    static void Apply(Dictionary<string, decimal[]> table, IReadOnlyList<ViewRow> diff)
    {
        foreach (var row in diff)
        {
            var values = table.TryGetValue(row.Key, out var existing) ? existing : table[row.Key] = new decimal[row.Values.Count];
            for (var i = 0; i < values.Length; i++)
                values[i] += row.Values[i];
            if (values.All(x => x == 0))
                table.Remove(row.Key);
        }
    }
}

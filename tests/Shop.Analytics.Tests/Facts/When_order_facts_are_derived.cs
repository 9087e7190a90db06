using CsCheck;
using Shop.Analytics.Domain;
using Shop.Contracts;

namespace Shop.Analytics.Tests.Facts;

/// <summary>The pure core: an order's facts depend on the set of its events, never on their arrival order or copies.</summary>
public sealed class When_order_facts_are_derived
{
    static readonly DateTimeOffset Start = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    static readonly Gen<OrderStory> Stories =
        Gen.Select(Gen.Enum<StoryEnd>(), Gen.Int[1, 3], Gen.Int[1, 5], Gen.Int[0, 3], (end, lines, quantity, reason) =>
            new OrderStory(Guid.NewGuid(), Start, Enumerable.Range(1, lines).Select(i => new OrderLine($"SKU-{i}", quantity + i, 2.5m * i)).ToList(),
                end, end is StoryEnd.Completed or StoryEnd.Open ? null : new[] { "OutOfStock", "PaymentDeclined", "ShippingFailed", "CustomerCancelled" }[reason]));

    static List<OrderEvent> EventsOf(OrderStory story) =>
        story.Events().Select(x => new OrderEvent(x.EventId, story.OrderId, EventBodies.Identify(x.Message).OccurredAt, x.Message)).ToList();

    [Fact]
    public void Should_give_the_same_facts_for_every_arrival_order_and_every_duplicate()
    {
        Gen.Select(Stories, Gen.Int[0, 1000]).Sample((story, seed) =>
        {
            var events = EventsOf(story);
            var expected = OrderFacts.Derive(story.OrderId, events);
            var random = new Random(seed);
            // Any permutation, with any events delivered again under the same id.
            var delivered = events.Concat(events.Where(_ => random.Next(3) == 0)).OrderBy(_ => random.Next()).ToList();

            Assert.Equal(expected, OrderFacts.Derive(story.OrderId, delivered));
        }, iter: 500);
    }

    [Fact]
    public void Should_say_what_the_story_says()
    {
        Stories.Sample(story =>
        {
            var facts = OrderFacts.Derive(story.OrderId, EventsOf(story));

            Assert.Equal(story.End switch
            {
                StoryEnd.Completed => OrderOutcome.Completed,
                StoryEnd.Open => OrderOutcome.Open,
                _ => OrderOutcome.Cancelled,
            }, facts.Outcome);
            Assert.Equal(story.Start, facts.SubmittedAt);
            Assert.Equal(story.StepsReached >= 2, facts.ReservedAt is not null);
            Assert.Equal(story.StepsReached >= 3, facts.PaidAt is not null);
            Assert.Equal(story.StepsReached >= 4, facts.ShippedAt is not null);
            Assert.Equal(story.Reason, facts.CancelReason);
            Assert.Equal(story.End == StoryEnd.Completed ? story.Total : 0, facts.CompletedTotal);
            Assert.Equal(story.Lines.Sum(x => x.Quantity), facts.Lines.Sum(x => x.Quantity));
        }, iter: 200);
    }

    [Fact]
    public void Should_keep_the_first_submission_when_a_copy_arrives_under_a_new_id()
    {
        var story = OrderStory.Completed(Start, new OrderLine("SKU-1", 2, 10m));
        var events = EventsOf(story);
        var copy = events[0] with { EventId = Guid.NewGuid(), OccurredAt = Start.AddMinutes(1) };

        Assert.Equal(OrderFacts.Derive(story.OrderId, events), OrderFacts.Derive(story.OrderId, [copy, .. events]));
    }

    [Fact]
    public void Should_let_the_later_terminal_event_decide_the_outcome()
    {
        var orderId = Guid.NewGuid();
        OrderEvent[] events =
        [
            new(Guid.NewGuid(), orderId, Start.AddSeconds(5), new OrderCancelled(orderId, "c", "e", CancellationReason.CustomerCancelled, Start.AddSeconds(5))),
            new(Guid.NewGuid(), orderId, Start.AddSeconds(4), new OrderCompleted(orderId, "c", "e", 10m, "T", Start.AddSeconds(4))),
        ];

        var facts = OrderFacts.Derive(orderId, events);

        Assert.Equal(OrderOutcome.Cancelled, facts.Outcome);
        Assert.Equal(CancellationReason.CustomerCancelled, facts.CancelReason);
        Assert.Equal(facts, OrderFacts.Derive(orderId, events.Reverse()));
    }

    [Fact]
    public void Should_break_ties_on_occurred_at_by_event_id()
    {
        var orderId = Guid.NewGuid();
        var first = new Guid("00000000-0000-0000-0000-000000000001");
        var second = new Guid("00000000-0000-0000-0000-000000000002");
        OrderEvent[] events =
        [
            new(second, orderId, Start, new OrderCompleted(orderId, "c", "e", 10m, "T", Start)),
            new(first, orderId, Start, new OrderCancelled(orderId, "c", "e", CancellationReason.OutOfStock, Start)),
        ];

        Assert.Equal(OrderOutcome.Completed, OrderFacts.Derive(orderId, events).Outcome);
        Assert.Equal(OrderOutcome.Completed, OrderFacts.Derive(orderId, events.Reverse()).Outcome);
    }

    [Fact]
    public void Should_refuse_an_event_of_another_order() =>
        Assert.Throws<ArgumentException>(() => OrderFacts.Derive(Guid.NewGuid(),
            [new OrderEvent(Guid.NewGuid(), Guid.NewGuid(), Start, new StockReserved(Guid.NewGuid(), Start))]));
}

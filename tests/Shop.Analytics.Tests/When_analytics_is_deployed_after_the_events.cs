using MassTransit;
using Shop.Analytics.Consumers;
using Shop.Analytics.Domain;
using Shop.Contracts;
using Shop.Testing;

namespace Shop.Analytics.Tests;

/// <summary>
/// The deployment declares Analytics' queue (scripts/broker-queues.sh, as infra-up.sh and compose's broker-init run
/// it) before the service has ever run: events published meanwhile wait in the queue, and the service, started later,
/// finds the queue as it would have declared it and projects them all.
/// </summary>
public sealed class When_analytics_is_deployed_after_the_events(When_analytics_is_deployed_after_the_events.Fixture analytics)
    : IClassFixture<When_analytics_is_deployed_after_the_events.Fixture>
{
    static readonly DateTimeOffset Day = new(2026, 8, 1, 9, 0, 0, TimeSpan.Zero);

    public static readonly OrderStory[] Stories =
    [
        OrderStory.Completed(Day, new OrderLine("SKU-EARLY", 3, 2m)),
        OrderStory.Cancelled(Day, StoryEnd.CancelledAfterReserve, CancellationReason.PaymentDeclined, new OrderLine("SKU-EARLY", 1, 2m)),
    ];

    /// <summary>Declares the queue and publishes <see cref="Stories"/> before the service starts.</summary>
    public sealed class Fixture : AnalyticsService
    {
        public int WaitingBeforeStart { get; private set; }

        protected override async Task BeforeStartAsync()
        {
            await BrokerDeployment.DeclareQueuesAsync(VirtualHost);
            await using var producer = await TestBus.StartAsync(VirtualHost);
            foreach (var (eventId, message) in Stories.SelectMany(x => x.Events()))
            {
                await (Task)typeof(TestBus).GetMethod(nameof(TestBus.Publish))!.MakeGenericMethod(message.GetType())
                    .Invoke(producer, [message, eventId])!;
            }

            await Eventually.True(async () => await VirtualHost.MessagesReadyAsync(OrderEventsConsumerDefinition.QueueName) ==
                Stories.Sum(x => x.Events().Count), "the events waiting in the declared queue");
            WaitingBeforeStart = await VirtualHost.MessagesReadyAsync(OrderEventsConsumerDefinition.QueueName);
        }
    }

    [Fact]
    public async Task Should_project_the_events_published_before_it_started()
    {
        Assert.Equal(Stories.Sum(x => x.Events().Count), analytics.WaitingBeforeStart);

        // Every waiting event handled, not only the first of each order: wait for the exact views, then assert them.
        await Eventually.True(async () => ViewsMatch(await analytics.ViewsAsync()), "the early orders projected");

        AnalyticsService.AssertViews(await analytics.ViewsAsync(), Stories);
    }

    [Fact]
    public void Should_declare_exactly_the_exchanges_the_consumer_subscribes_to()
    {
        var declared = File.ReadAllLines(Path.Combine(ServiceUsers.RepositoryRoot, "scripts", "broker-queues.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .ToDictionary(x => x[0], x => x[1].Split(',').Order().ToList());
        var consumed = typeof(OrderEventsConsumer).GetInterfaces()
            .Where(x => x.IsGenericType && x.GetGenericTypeDefinition() == typeof(IConsumer<>))
            .Select(x => x.GetGenericArguments()[0])
            .ToList();

        Assert.Equal(EventBodies.Contracts.OrderBy(x => x.Name), consumed.OrderBy(x => x.Name));
        Assert.Equal(consumed.Select(x => $"{x.Namespace}:{x.Name}").Order(), declared[OrderEventsConsumerDefinition.QueueName]);
    }

    static bool ViewsMatch(Views views)
    {
        try
        {
            AnalyticsService.AssertViews(views, Stories);
            return true;
        }
        catch (Xunit.Sdk.XunitException)
        {
            return false;
        }
    }
}

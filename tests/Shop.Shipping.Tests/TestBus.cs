using System.Collections.Concurrent;
using MassTransit;
using Shop.Testing;

namespace Shop.Shipping.Tests;

/// <summary>A bus of the test's own on the service's virtual host: sends commands to queues and records published events.</summary>
public sealed class TestBus : IAsyncDisposable
{
    readonly IBusControl _bus;

    TestBus(IBusControl bus, PublishedEvents events)
    {
        _bus = bus;
        Events = events;
    }

    public PublishedEvents Events { get; }

    /// <param name="subscribe">Subscribes the observer queue <paramref name="queueName"/> to the events to record, e.g.
    /// <c>e.Handler&lt;X&gt;(events.Record)</c>; null for a bus that only sends and publishes.</param>
    public static async Task<TestBus> StartAsync(TestVirtualHost virtualHost, string queueName,
        Action<IRabbitMqReceiveEndpointConfigurator, PublishedEvents>? subscribe = null)
    {
        var events = new PublishedEvents();
        var bus = MassTransit.Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestServers.RabbitMqHost, virtualHost.Name, host =>
            {
                host.Username(TestServers.RabbitMqUser);
                host.Password(TestServers.RabbitMqPassword);
            });
            if (subscribe is not null)
                rabbit.ReceiveEndpoint(queueName, endpoint => subscribe(endpoint, events));
        });
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return new TestBus(bus, events);
    }

    /// <summary>Sends to <c>queue:{queue}</c>, with the given MessageId when one is given (to simulate a redelivery).</summary>
    public async Task Send<T>(string queue, T message, Guid? messageId = null)
        where T : class
    {
        var endpoint = await _bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(message, context =>
        {
            if (messageId is { } id)
                context.MessageId = id;
        });
    }

    public Task Publish<T>(T message, Guid? messageId = null)
        where T : class =>
        _bus.Publish(message, context =>
        {
            if (messageId is { } id)
                context.MessageId = id;
        });

    public async ValueTask DisposeAsync() => await _bus.StopAsync();
}

/// <summary>Every event the observer queue received, in arrival order.</summary>
public sealed class PublishedEvents
{
    readonly ConcurrentQueue<object> _events = new();

    public Task Record<T>(ConsumeContext<T> context)
        where T : class
    {
        _events.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public IReadOnlyList<T> All<T>(Func<T, bool> predicate) => _events.OfType<T>().Where(predicate).ToList();

    /// <summary>Waits until at least <paramref name="count"/> matching events arrived and returns them all.</summary>
    public async Task<IReadOnlyList<T>> WaitFor<T>(Func<T, bool> predicate, int count = 1)
    {
        await Eventually.True(() => Task.FromResult(All(predicate).Count >= count), $"{count} {typeof(T).Name}");
        return All(predicate);
    }
}

/// <summary>MessageIds whose consumption finished on the service's bus (including duplicates the inbox dropped).</summary>
public sealed class ConsumedMessages : IConsumeObserver
{
    readonly ConcurrentQueue<Guid> _messageIds = new();

    public int Count(Guid messageId) => _messageIds.Count(x => x == messageId);

    public Task WaitFor(Guid messageId, int times) =>
        Eventually.True(() => Task.FromResult(Count(messageId) >= times), $"{messageId} consumed {times} times");

    public Task PreConsume<T>(ConsumeContext<T> context)
        where T : class =>
        Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context)
        where T : class
    {
        if (context.MessageId is { } id)
            _messageIds.Enqueue(id);
        return Task.CompletedTask;
    }

    public Task ConsumeFault<T>(ConsumeContext<T> context, Exception exception)
        where T : class =>
        Task.CompletedTask;
}

public static class Consistently
{
    /// <summary>Fails as soon as <paramref name="condition"/> is false within <paramref name="period"/>.</summary>
    public static async Task True(Func<bool> condition, string description, TimeSpan? period = null)
    {
        var until = DateTime.UtcNow + (period ?? TimeSpan.FromSeconds(1));
        do
        {
            Assert.True(condition(), $"No longer true: {description}");
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < until);
    }
}

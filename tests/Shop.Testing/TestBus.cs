using System.Collections.Concurrent;
using MassTransit;
using Shop.Contracts;
using Shop.Messaging.Routing;
using Shop.Messaging.Signing;

namespace Shop.Testing;

/// <summary>
/// A bus of the test's own on the service's virtual host: sends commands to the service's queues, publishes events
/// as another service would (signed with that service's key, see <see cref="TestSigningKeys"/>), and records the events the service publishes. Each send starts a conversation of its own
/// (ConversationId = MessageId), so the events one command caused can be told apart from those of an identical one.
/// </summary>
/// <example><code>
/// var bus = await TestBus.StartAsync(virtualHost, (bus, endpoint) => bus.Observe&lt;PaymentCaptured&gt;(endpoint));
/// var id = await bus.Send("charge-payment", new ChargePayment(...));
/// var captured = await bus.WaitFor&lt;PaymentCaptured&gt;(x => x.OrderId == orderId, "the capture");
/// </code></example>
public sealed class TestBus : IAsyncDisposable
{
    readonly ConcurrentQueue<Observed> _observed = new();
    readonly IBusControl _bus;

    TestBus(TestVirtualHost virtualHost, string queueName, Action<TestBus, IReceiveEndpointConfigurator>? observe)
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestServers.RabbitMqHost, virtualHost.Name, host =>
            {
                host.Username(TestServers.RabbitMqUser);
                host.Password(TestServers.RabbitMqPassword);
            });
            // Each message is signed as the service allowed to send it would sign it.
            var signer = new MessageSigningObserver(TestSigningKeys.ForMessage, TimeProvider.System);
            rabbit.ConnectSendObserver(signer);
            rabbit.ConnectPublishObserver(signer);
            // ... and carries the routing headers its producer sets (Contracts/MessageRoutes.cs).
            rabbit.UseRoutingHeaders(new RoutingHeaderMap(MessageRoutes.Headers, MessageRoutes.HeaderOf));
            if (observe is not null)
                rabbit.ReceiveEndpoint(queueName, endpoint => observe(this, endpoint));
        });
    }

    /// <param name="observe">Subscribes the observer queue to the events to record (<c>bus.Observe&lt;T&gt;(endpoint)</c>);
    /// null for a bus that only sends and publishes.</param>
    public static async Task<TestBus> StartAsync(TestVirtualHost virtualHost, Action<TestBus, IReceiveEndpointConfigurator>? observe = null,
        string queueName = "test-observer")
    {
        var bus = new TestBus(virtualHost, queueName, observe);
        await bus._bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        return bus;
    }

    public void Observe<T>(IReceiveEndpointConfigurator endpoint)
        where T : class =>
        endpoint.Handler<T>(context =>
        {
            _observed.Enqueue(new Observed(context.Message, context.ConversationId, context.ReceiveContext.GetBody()));
            return Task.CompletedTask;
        });

    /// <summary>Sends to <c>queue:{queue}</c>; returns the MessageId (the given one, to simulate a redelivery, or a new one).</summary>
    public async Task<Guid> Send<T>(string queue, T message, Guid? messageId = null)
        where T : class
    {
        var id = messageId ?? NewId.NextGuid();
        var endpoint = await _bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(message, context =>
        {
            context.MessageId = id;
            context.ConversationId = id;
        });
        return id;
    }

    /// <summary>Publishes as another service would, with the given MessageId when one is given (to simulate a redelivery).</summary>
    public Task Publish<T>(T message, Guid? messageId = null)
        where T : class =>
        _bus.Publish(message, context =>
        {
            if (messageId is { } id)
                context.MessageId = id;
        });

    /// <summary>Recorded events of type <typeparamref name="T"/> that match, in arrival order.</summary>
    public IReadOnlyList<T> Received<T>(Func<T, bool> match)
        where T : class =>
        _observed.Select(x => x.Message).OfType<T>().Where(match).ToList();

    /// <summary>The bodies of the recorded events of type <typeparamref name="T"/> exactly as they arrived (envelope and all).</summary>
    public IReadOnlyList<string> ReceivedBodies<T>()
        where T : class =>
        _observed.Where(x => x.Message is T).Select(x => System.Text.Encoding.UTF8.GetString(x.Body)).ToList();

    /// <summary>Events of type <typeparamref name="T"/> caused by the command sent with id <paramref name="messageId"/>.</summary>
    public IReadOnlyList<T> ReceivedFrom<T>(Guid messageId)
        where T : class =>
        _observed.Where(x => x.ConversationId == messageId).Select(x => x.Message).OfType<T>().ToList();

    /// <summary>Waits for the first matching event and returns it.</summary>
    public Task<T> WaitFor<T>(Func<T, bool> match, string description)
        where T : class =>
        Eventually.Value(() => Task.FromResult(Received(match).FirstOrDefault()), description);

    /// <summary>Waits until at least <paramref name="count"/> matching events arrived and returns them all.</summary>
    public async Task<IReadOnlyList<T>> WaitForCount<T>(Func<T, bool> match, int count = 1, string? description = null)
        where T : class
    {
        await Eventually.True(() => Task.FromResult(Received(match).Count >= count), description ?? $"{count} {typeof(T).Name}");
        return Received(match);
    }

    public async ValueTask DisposeAsync() => await _bus.StopAsync();

    sealed record Observed(object Message, Guid? ConversationId, byte[] Body);
}

/// <summary>
/// MessageIds whose consumption finished on a service's bus, including duplicates the inbox dropped and attempts that
/// failed and were scheduled for redelivery — so it tells "handled", not "succeeded". Connect with
/// <c>bus.ConnectConsumeObserver(consumed)</c>.
/// </summary>
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

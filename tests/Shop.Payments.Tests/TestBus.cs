using System.Collections.Concurrent;
using MassTransit;
using Shop.Testing;

namespace Shop.Payments.Tests;

/// <summary>
/// A bus of its own on the service's virtual host: sends commands to the service's queues and records the events
/// the service publishes. Each command starts a conversation of its own (ConversationId = MessageId), so the events
/// it caused can be told apart from those of an identical command.
/// </summary>
public sealed class TestBus : IAsyncDisposable
{
    readonly ConcurrentQueue<Observed> _observed = new();
    readonly IBusControl _bus;

    TestBus(TestVirtualHost virtualHost, Action<TestBus, IReceiveEndpointConfigurator> observe)
    {
        _bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestServers.RabbitMqHost, virtualHost.Name, host =>
            {
                host.Username(TestServers.RabbitMqUser);
                host.Password(TestServers.RabbitMqPassword);
            });
            rabbit.ReceiveEndpoint("test-observer", endpoint => observe(this, endpoint));
        });
    }

    public static async Task<TestBus> StartAsync(TestVirtualHost virtualHost, Action<TestBus, IReceiveEndpointConfigurator> observe)
    {
        var bus = new TestBus(virtualHost, observe);
        await bus._bus.StartAsync();
        return bus;
    }

    public void Observe<T>(IReceiveEndpointConfigurator endpoint)
        where T : class =>
        endpoint.Handler<T>(context =>
        {
            _observed.Enqueue(new Observed(context.Message, context.ConversationId));
            return Task.CompletedTask;
        });

    /// <summary>Sends <paramref name="message"/> to a queue; returns its MessageId (given, or new).</summary>
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

    public IReadOnlyList<T> Received<T>(Func<T, bool> match)
        where T : class =>
        _observed.Select(x => x.Message).OfType<T>().Where(match).ToList();

    /// <summary>Events of type <typeparamref name="T"/> caused by the command sent with id <paramref name="messageId"/>.</summary>
    public IReadOnlyList<T> ReceivedFrom<T>(Guid messageId)
        where T : class =>
        _observed.Where(x => x.ConversationId == messageId).Select(x => x.Message).OfType<T>().ToList();

    public Task<T> WaitFor<T>(Func<T, bool> match, string description)
        where T : class =>
        Eventually.Value(() => Task.FromResult(Received(match).FirstOrDefault()), description);

    public Task WaitForCount<T>(Func<T, bool> match, int count, string description)
        where T : class =>
        Eventually.True(() => Task.FromResult(Received(match).Count >= count), description);

    public async ValueTask DisposeAsync() => await _bus.StopAsync();

    sealed record Observed(object Message, Guid? ConversationId);
}

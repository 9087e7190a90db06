using MassTransit;
using MassTransit.Clients;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;
using MassTransit.Transports;
using Shop.Messaging.Outbox;

namespace Shop.Messaging.BusOutbox;

/// <summary>
/// The scoped bus context outside a consumer (an HTTP request, a background job): <see cref="IPublishEndpoint"/> and
/// <see cref="ISendEndpointProvider"/> resolved in that scope write outbox rows on the scope's DbContext, which commit
/// with the caller's own <c>SaveChangesAsync</c>. Inside a consumer the consume context (itself under the
/// transactional outbox) is used instead.
/// </summary>
sealed class BusOutboxContextProvider : IScopedBusContextProvider<IBus>
{
    public BusOutboxContextProvider(IBus bus, OutboxDbContextAccessor dbContext, TimeProvider clock,
        Bind<IBus, IClientFactory> clientFactory, Bind<IBus, IScopedConsumeContextProvider> consumeContextProvider,
        IScopedConsumeContextProvider globalConsumeContextProvider, IServiceProvider provider)
    {
        if (consumeContextProvider.Value.HasContext)
            Context = new ConsumeContextScopedBusContext(consumeContextProvider.Value.GetContext(), clientFactory.Value);
        else if (globalConsumeContextProvider.HasContext)
            Context = new ConsumeContextScopedBusContext(globalConsumeContextProvider.GetContext(), clientFactory.Value);
        else
            Context = new BusOutboxContext(bus, new OutboxBuffer(dbContext.DbContext, clock), clientFactory.Value, provider);
    }

    public ScopedBusContext Context { get; }
}

sealed class BusOutboxContext(IBus bus, OutboxBuffer buffer, IClientFactory clientFactory, IServiceProvider provider)
    : ScopedBusContext, OutboxSendContext
{
    ISendEndpointProvider? _sendEndpointProvider;
    IPublishEndpoint? _publishEndpoint;
    IScopedClientFactory? _clientFactory;

    public ISendEndpointProvider SendEndpointProvider => _sendEndpointProvider ??= new OutboxSendEndpointProvider(this, bus);

    public IPublishEndpoint PublishEndpoint => _publishEndpoint ??= new PublishEndpoint(new OutboxPublishEndpointProvider(this, bus));

    public IScopedClientFactory ClientFactory =>
        _clientFactory ??= new ScopedClientFactory(new ClientFactory(new ScopedClientFactoryContext(clientFactory, provider)), null);

    public Task AddSend<T>(SendContext<T> context)
        where T : class =>
        buffer.Add(context);

    public object? GetService(Type serviceType) => provider.GetService(serviceType);
}

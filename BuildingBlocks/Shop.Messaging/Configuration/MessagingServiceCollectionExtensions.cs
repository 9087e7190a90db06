using MassTransit;
using MassTransit.Configuration;
using MassTransit.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shop.Messaging.BusOutbox;
using Shop.Messaging.Delivery;
using Shop.Messaging.Diagnostics;
using Shop.Messaging.Logging;
using Shop.Messaging.Outbox;
using Shop.Messaging.Routing;
using Shop.Messaging.Sagas;
using Shop.Messaging.Scheduling;
using Shop.Messaging.Signing;

namespace Shop.Messaging.Configuration;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Wires MassTransit on RabbitMQ for a service whose state lives in <typeparamref name="TDbContext"/>: EF Core saga
    /// repository for every saga, bus outbox for code outside consumers, the outbox delivery service, inbox cleanup and
    /// durable scheduling, the <c>Shop.Messaging</c> meter and the outbox and error-queue health checks. Every receive
    /// endpoint gets the standard policy (retry, inbox, outbox; <see cref="EndpointPolicyExtensions"/>); a definition
    /// adjusts it and sets its concurrency.
    /// Configuration: sections <c>RabbitMq</c> (<see cref="RabbitMqOptions"/>), <c>Messaging</c> (<see cref="MessagingOptions"/>),
    /// <c>Messaging:Signing</c> (<see cref="SigningOptions"/>), <c>Messaging:Health</c> (<see cref="MessagingHealthOptions"/>) and <c>Messaging:Metrics</c> (<see cref="MessagingMetricsOptions"/>).
    /// </summary>
    public static IServiceCollection AddShopMessaging<TDbContext>(this IServiceCollection services, IConfiguration configuration,
        Action<IBusRegistrationConfigurator> configureBus)
        where TDbContext : DbContext
    {
        services.AddOptions<MessagingOptions>().Bind(configuration.GetSection("Messaging"));
        // Before any id is generated: every instance's sequential ids get a node id of their own.
        SequentialIds.UseInstanceIdentity(configuration["Messaging:InstanceId"]);
        services.AddOptions<RabbitMqOptions>().Bind(configuration.GetSection("RabbitMq")).RequireCredentials();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxSignal>();
        services.TryAddSingleton<OutboxCommitInterceptor>();
        // Every TDbContext this block writes the outbox through signals its commits; Shop.Data's AddShopDbContext
        // applies this to the provider's context type as well.
        services.ConfigureDbContext<TDbContext>((provider, options) => options.UseShopOutboxSignals(provider), ServiceLifetime.Singleton);
        services.TryAddScoped(provider => new OutboxDbContextAccessor(provider.GetRequiredService<TDbContext>()));
        services.TryAddScoped<AfterCommit>();
        services.AddMessageSigning(configuration);

        services.AddMassTransit(bus =>
        {
            bus.SetKebabCaseEndpointNameFormatter();
            bus.SetSagaRepositoryProvider(new EfCoreSagaRepositoryProvider());

            configureBus(bus);
            // A message whose signature is refused lands in _error with the reason in a header (and no fault event).
            bus.AddConfigureEndpointsCallback((_, endpoint) => RejectedMessageErrorFilter.Apply(endpoint));
            // Safe by default: every endpoint gets retry, inbox and outbox before its consumers are added, so no consumer
            // can run without them unless its queue is named in EndpointPolicyOptions.WithoutStandardPolicy.
            bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                if (!context.GetRequiredService<IOptions<EndpointPolicyOptions>>().Value.WithoutStandardPolicy.Contains(name))
                    endpoint.UseShopStandardPolicy(context);
            });
            // Cluster mode (RabbitMq:QuorumQueues): durable endpoint queues are quorum queues.
            bus.AddShopQuorumQueues();

            bus.UsingRabbitMq((context, rabbit) =>
            {
                var options = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                rabbit.Host(options.Host, options.Port, options.VirtualHost, host =>
                {
                    host.Username(options.Username);
                    host.Password(options.Password);
                });
                rabbit.PrefetchCount = options.PrefetchCount;

                // Every message sent is signed as it leaves; every message received is verified before anything else.
                rabbit.UseMessageSigning(context);
                // Routed messages carry their routing headers from the moment they are written (Routing/).
                rabbit.UseRoutingHeaders(context);

                // Scheduled sends (saga timeouts) are captured by the outbox with their due time and sent plainly when
                // due; nothing delayed ever reaches RabbitMQ (no delayed-exchange plugin here). Unscheduling deletes them.
                rabbit.AddPrePipeSpecification(new FilterPipeSpecification<ConsumeContext>(new OutboxMessageSchedulerFilter()));
                rabbit.UseConsumeFilter(typeof(OrderIdLogScopeFilter<>), context);

                rabbit.ConfigureEndpoints(context);
            });
        });

        // The host reports started only once the bus is connected, and stops consuming before it shuts down.
        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromMinutes(1);
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.ReplaceScoped<IScopedBusContextProvider<IBus>, BusOutboxContextProvider>();
        services.AddHostedService<OutboxDeliveryService>();
        services.AddHostedService<InboxCleanupService>();
        services.AddMessagingDiagnostics(configuration);
        return services;
    }

    /// <summary>
    /// Lets the DbContext signal the delivery service when outbox rows commit. <see cref="AddShopMessaging{TDbContext}"/>
    /// applies it to <typeparamref name="TDbContext"/>'s options; call it yourself only for a context registered under
    /// another type. Attaches the interceptor once, however often it is called.
    /// </summary>
    public static DbContextOptionsBuilder UseShopOutboxSignals(this DbContextOptionsBuilder options, IServiceProvider services)
    {
        var attached = options.Options.FindExtension<CoreOptionsExtension>()?.Interceptors ?? [];
        return attached.OfType<OutboxCommitInterceptor>().Any()
            ? options
            : options.AddInterceptors(services.GetRequiredService<OutboxCommitInterceptor>());
    }
}

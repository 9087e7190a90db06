using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Messaging.Signing;

public static class SigningServiceCollectionExtensions
{
    /// <summary>
    /// Which service may send each message type (contract type → service name), and which services consume each (they
    /// alone may sign its <c>Fault&lt;T&gt;</c>; without <paramref name="consumers"/> no fault is accepted). Every consumer
    /// rejects a message naming a type no sender is registered for.
    /// </summary>
    public static IServiceCollection AddMessageSenders(this IServiceCollection services, IReadOnlyDictionary<Type, string> senders,
        IReadOnlyDictionary<Type, IReadOnlyList<string>>? consumers = null)
    {
        services.Replace(ServiceDescriptor.Singleton(new MessageSenderMap(senders, consumers)));
        return services;
    }

    internal static void AddMessageSigning(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SigningOptions>().Bind(configuration.GetSection(SigningOptions.Section));
        services.TryAddSingleton(MessageSenderMap.Empty);
        services.TryAddSingleton(provider =>
        {
            var ring = SigningKeyRing.Load(provider.GetRequiredService<IOptions<SigningOptions>>().Value,
                provider.GetRequiredService<IHostEnvironment>());
            if (!ring.Enabled)
            {
                provider.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.Messaging.Signing").LogWarning(
                    "Message signing is OFF: no key configured ({Section}), which only Development allows. Nothing sent is signed, nothing received is verified.",
                    SigningOptions.Section);
            }
            return ring;
        });
        // Hosted services start in order and this one comes before the bus: a missing or unreadable key stops the host
        // with the loader's message before anything connects.
        services.AddHostedService<SigningKeysCheck>();
    }

    /// <summary>Signs what the bus sends and verifies what its endpoints receive (called from <c>UsingRabbitMq</c>).</summary>
    internal static void UseMessageSigning(this IBusFactoryConfigurator bus, IBusRegistrationContext context)
    {
        var ring = context.GetRequiredService<SigningKeyRing>();
        if (!ring.Enabled)
            return;

        var clock = context.GetRequiredService<TimeProvider>();
        var signer = new MessageSigningObserver(ring.SigningKey!, clock);
        bus.ConnectSendObserver(signer);
        bus.ConnectPublishObserver(signer);

        var verifier = new SignatureVerificationFilter(
            new MessageVerifier(ring, context.GetRequiredService<MessageSenderMap>(), context.GetRequiredService<IOptions<SigningOptions>>().Value, clock),
            context.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.Messaging.Signing"));
        bus.AddPrePipeSpecification(new MassTransit.Configuration.FilterPipeSpecification<ConsumeContext>(verifier));
    }
}

sealed class SigningKeysCheck(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<SigningKeyRing>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

using System.Security.Cryptography;
using System.Text;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.DependencyInjection;
using MassTransit.Middleware;
using MassTransit.Transports;
using Shop.Messaging.Configuration;

namespace Shop.Messaging.Outbox;

/// <summary>
/// Puts <see cref="TransactionalOutboxFilter{TMessage}"/> in front of every consumer and saga message type on one
/// receive endpoint.
/// </summary>
sealed class TransactionalOutboxObserver(IReceiveEndpointConfigurator endpoint, IRegistrationContext context,
    OutboxEndpointOptions endpointOptions)
    : IConsumerConfigurationObserver, ISagaConfigurationObserver
{
    // MassTransit reports a consumer's message types each time it validates the configuration; add the filter once.
    readonly HashSet<(Type, Type)> _configured = [];

    public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
        where TConsumer : class
    {
    }

    public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
        where TConsumer : class
        where TMessage : class
    {
        if (configurator is not IConsumerMessageConfigurator<TMessage> messageConfigurator)
            throw new ConfigurationException($"The outbox cannot be added to {TypeCache<TConsumer>.ShortName} - {TypeCache<TMessage>.ShortName}");

        AddFilter<TConsumer, TMessage>(messageConfigurator);
    }

    public void SagaConfigured<TSaga>(ISagaConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
    {
    }

    public void StateMachineSagaConfigured<TInstance>(ISagaConfigurator<TInstance> configurator, SagaStateMachine<TInstance> stateMachine)
        where TInstance : class, ISaga, SagaStateMachineInstance
    {
    }

    public void SagaMessageConfigured<TSaga, TMessage>(ISagaMessageConfigurator<TSaga, TMessage> configurator)
        where TSaga : class, ISaga
        where TMessage : class
    {
        if (configurator is not ISagaMessageConfigurator<TMessage> messageConfigurator)
            throw new ConfigurationException($"The outbox cannot be added to {TypeCache<TSaga>.ShortName} - {TypeCache<TMessage>.ShortName}");

        AddFilter<TSaga, TMessage>(messageConfigurator);
    }

    void AddFilter<TConsumer, TMessage>(IPipeConfigurator<ConsumeContext<TMessage>> configurator)
        where TConsumer : class
        where TMessage : class
    {
        if (!_configured.Add((typeof(TConsumer), typeof(TMessage))))
            return;

        var options = new OutboxConsumeOptions
        {
            ConsumerId = ConsumerIdFor(endpoint.InputAddress.GetEndpointName() ?? endpoint.InputAddress.ToString(), TypeCache<TConsumer>.ShortName),
            ConsumerType = TypeCache<TConsumer>.ShortName,
        };

        var filter = new TransactionalOutboxFilter<TMessage>(new ConsumeScopeProvider(context), options, endpointOptions);
        configurator.AddPipeSpecification(new FilterPipeSpecification<ConsumeContext<TMessage>>(filter));
    }

    /// <summary>A stable id for (endpoint, consumer): the inbox key stays valid across restarts and deployments.</summary>
    internal static Guid ConsumerIdFor(string endpointName, string consumerType)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{endpointName}/{consumerType}"));
        return new Guid(hash.AsSpan(0, 16));
    }
}

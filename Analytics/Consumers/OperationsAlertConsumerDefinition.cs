using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Analytics.Consumers;

/// <summary>
/// The standard policy (inbox, outbox, retry) on the feed's own queue, subscribed by content rather than by type: no
/// binding to <c>OrderCancelled</c>'s exchange, but to the headers exchange behind it, with <c>x-match</c> on the reason.
/// Declared exactly as <c>scripts/broker-queues.sh</c> declares it from <c>scripts/broker-routes.tsv</c>.
/// </summary>
public sealed class OperationsAlertConsumerDefinition : ShopConsumerDefinition<OperationsAlertConsumer>
{
    public OperationsAlertConsumerDefinition()
    {
        EndpointName = OperationsFeed.QueueName;
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<OperationsAlertConsumer> consumer,
        IRegistrationContext context)
    {
        base.ConfigureConsumer(endpoint, consumer, context);
        if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit)
            return;

        rabbit.ConfigureConsumeTopology = false;
        foreach (var reason in OperationsFeed.Reasons)
        {
            rabbit.Bind(OperationsFeed.RoutedExchange, routed =>
            {
                routed.ExchangeType = RabbitMQ.Client.ExchangeType.Headers;
                routed.SetBindingArgument("x-match", "all");
                routed.SetBindingArgument(OperationsFeed.ReasonHeader, reason);
                // The message's own exchange feeds the headers exchange (exchange-to-exchange). Declared fanout, as its
                // publishers declare it: a nested binding would otherwise inherit "headers" and fail PRECONDITION_FAILED.
                routed.Bind(OperationsFeed.MessageExchange, message => message.ExchangeType = RabbitMQ.Client.ExchangeType.Fanout);
            });
        }
    }
}

using MassTransit;
using MassTransit.RabbitMqTransport.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Shop.Messaging.Configuration;

/// <summary>
/// Cluster mode (<c>RabbitMq:QuorumQueues=true</c>, <c>RabbitMq__QuorumQueues</c>): every durable receive endpoint queue
/// is declared as a quorum queue, replicated over the cluster's nodes, so it survives the loss of a minority of them.
/// Temporary and per-instance queues (auto-delete or exclusive) stay classic: a quorum queue is neither, and the bus's
/// reply queue dies with its instance anyway. The delivery limit and dead-lettering come from broker policies
/// (scripts/broker-policies.sh), not from queue arguments: MassTransit copies an endpoint's arguments onto its
/// <c>_error</c>/<c>_skipped</c> queues, and an argument cannot change once a queue exists. The type cannot either, so
/// a classic deployment moves with scripts/migrate-to-quorum.sh (docs/scaling.md#moving-a-classic-deployment).
/// Senders never declare an endpoint queue (they send to its exchange), so no send re-declares it with other arguments.
/// </summary>
public static class QuorumQueues
{
    public const string SettingKey = "RabbitMq:QuorumQueues";

    /// <summary>Registers the endpoint callback; it reads <see cref="RabbitMqOptions.QuorumQueues"/> when the bus is built.</summary>
    public static void AddShopQuorumQueues(this IBusRegistrationConfigurator bus) =>
        bus.AddConfigureEndpointsCallback((context, _, endpoint) =>
        {
            if (context.GetRequiredService<IOptions<RabbitMqOptions>>().Value.QuorumQueues)
                Apply(endpoint);
        });

    /// <summary>Makes the endpoint's queue a quorum queue when it is durable and shared; returns whether it did.</summary>
    public static bool Apply(IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is not (IRabbitMqReceiveEndpointConfigurator rabbit and IRabbitMqReceiveEndpointConfiguration configuration))
            return false;
        var settings = configuration.Settings;
        if (!settings.Durable || settings.AutoDelete || settings.Exclusive)
            return false;
        rabbit.SetQuorumQueue();
        return true;
    }
}

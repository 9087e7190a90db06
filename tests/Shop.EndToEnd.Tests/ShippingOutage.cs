using System.Collections.Concurrent;
using MassTransit;
using Shop.Contracts;
using Shop.Messaging.Retry;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// A fault switch in Shipping for tests: while a country's carrier is down, the consumer of every
/// <see cref="CreateShipment"/> to that country fails permanently, so MassTransit moves the command to
/// <c>create-shipment_error</c> at once and publishes its <c>Fault&lt;CreateShipment&gt;</c>. Likewise for the
/// <see cref="CancelShipment"/> of an order whose cancellations are made to fail (into <c>cancel-shipment_error</c>). Off
/// unless a test turns it on.
/// </summary>
public sealed class ShippingOutage : IConfigureReceiveEndpoint
{
    public const string Reason = "The carrier is down";

    readonly ConcurrentDictionary<string, bool> _countries = new(StringComparer.OrdinalIgnoreCase);
    readonly ConcurrentDictionary<Guid, bool> _cancellations = new();

    public void Begin(string country) => _countries[country] = true;

    public void End(string country) => _countries.TryRemove(country, out _);

    public void FailCancellations(Guid orderId) => _cancellations[orderId] = true;

    public void EndCancellationFailures(Guid orderId) => _cancellations.TryRemove(orderId, out _);

    public void Configure(string name, IReceiveEndpointConfigurator configurator)
    {
        if (name is "create-shipment" or "cancel-shipment")
            configurator.ConnectConsumerConfigurationObserver(new InsideTheConsumer(this));
    }

    /// <summary>Puts the outage inside the consumer's pipe, where a failure counts as the consumer's (and is faulted).</summary>
    sealed class InsideTheConsumer(ShippingOutage outage) : IConsumerConfigurationObserver
    {
        public void ConsumerConfigured<TConsumer>(IConsumerConfigurator<TConsumer> configurator)
            where TConsumer : class
        {
        }

        public void ConsumerMessageConfigured<TConsumer, TMessage>(IConsumerMessageConfigurator<TConsumer, TMessage> configurator)
            where TConsumer : class
            where TMessage : class
        {
            if (typeof(TMessage) == typeof(CreateShipment) || typeof(TMessage) == typeof(CancelShipment))
                configurator.Message(message => message.UseFilter(new OutageFilter<TMessage>(outage)));
        }
    }

    sealed class OutageFilter<TMessage>(ShippingOutage outage) : IFilter<ConsumeContext<TMessage>>
        where TMessage : class
    {
        public Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next) => context.Message switch
        {
            CreateShipment shipment when outage._countries.ContainsKey(shipment.Address.Country) =>
                throw new PermanentMessageFailureException($"{Reason} in {shipment.Address.Country}"),
            CancelShipment cancel when outage._cancellations.ContainsKey(cancel.OrderId) =>
                throw new PermanentMessageFailureException($"{Reason}: cannot cancel the shipment of order {cancel.OrderId}"),
            _ => next.Send(context),
        };

        public void Probe(ProbeContext context) => context.CreateFilterScope("shipping-outage");
    }
}

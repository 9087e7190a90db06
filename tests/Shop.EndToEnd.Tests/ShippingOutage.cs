using System.Collections.Concurrent;
using MassTransit;
using Shop.Contracts;
using Shop.Messaging.Retry;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// A fault switch in Shipping for tests: while a country's carrier is down, every <see cref="CreateShipment"/> to that
/// country fails permanently on the <c>create-shipment</c> endpoint, so MassTransit moves it to
/// <c>create-shipment_error</c> at once. Off for every country unless a test turns it on.
/// </summary>
public sealed class ShippingOutage : IConfigureReceiveEndpoint
{
    public const string Reason = "The carrier is down";

    readonly ConcurrentDictionary<string, bool> _countries = new(StringComparer.OrdinalIgnoreCase);

    public void Begin(string country) => _countries[country] = true;

    public void End(string country) => _countries.TryRemove(country, out _);

    public void Configure(string name, IReceiveEndpointConfigurator configurator)
    {
        if (name == "create-shipment")
            configurator.UseFilter(new OutageFilter(this));
    }

    sealed class OutageFilter(ShippingOutage outage) : IFilter<ConsumeContext>
    {
        public Task Send(ConsumeContext context, IPipe<ConsumeContext> next) =>
            context.TryGetMessage<CreateShipment>(out var shipment) && outage._countries.ContainsKey(shipment.Message.Address.Country)
                ? throw new PermanentMessageFailureException($"{Reason} in {shipment.Message.Address.Country}")
                : next.Send(context);

        public void Probe(ProbeContext context) => context.CreateFilterScope("shipping-outage");
    }
}

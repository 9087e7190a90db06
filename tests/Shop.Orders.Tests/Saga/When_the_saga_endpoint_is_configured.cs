using System.Diagnostics.Metrics;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shop.Orders.Saga;

namespace Shop.Orders.Tests.Saga;

public sealed class When_the_saga_endpoint_is_configured
{
    [Fact]
    public void Should_partition_every_message_the_saga_handles_by_its_order_id()
    {
        var machine = new OrderStateMachine(Options.Create(new OrdersOptions()), TimeProvider.System,
            new OrderMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
            NullLogger<OrderStateMachine>.Instance);

        // Every Event<T> of the machine (its own, and each schedule's timeout) carries a message of type T.
        var handled = machine.Events
            .Select(x => x.GetType().GetInterfaces().SingleOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(Event<>)))
            .OfType<Type>()
            .Select(x => x.GetGenericArguments()[0])
            .Distinct()
            .OrderBy(x => x.FullName)
            .ToList();

        Assert.Equal(23, handled.Count);
        Assert.Equal(handled, machine.Messages.Select(x => x.MessageType).OrderBy(x => x.FullName));
    }
}

using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shop.Messaging.Sagas;
using Shop.Orders;
using Shop.Orders.Saga;

namespace Shop.Console.Diagram;

/// <summary>
/// The graph of Orders' <see cref="OrderStateMachine"/>, read from an instance of the machine itself (the code Orders
/// runs), drawn as docs/order-saga.dot is: events the saga only takes note of are left out.
/// </summary>
public static class OrderSagaDiagram
{
    public static SagaDiagram Create()
    {
        // The machine's own metrics go to a meter factory of their own: the console counts no orders.
        using var metrics = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var machine = new OrderStateMachine(Options.Create(new OrdersOptions()), TimeProvider.System,
            new OrderMetrics(metrics.GetRequiredService<IMeterFactory>()), NullLogger<OrderStateMachine>.Instance);
        return new SagaDiagram(StateMachineDiagram.Of(machine, machine.OnlyRecordedEvents));
    }
}

using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.Orders.Domain;
using Shop.Orders.Saga;

namespace Shop.Orders.Tests.Saga;

/// <summary>
/// The order saga on MassTransit's in-memory test harness, for one order: given replies, expect commands, events and a
/// state. Commands go to queues nobody consumes here, so each one is seen exactly as the saga sent it.
/// </summary>
public sealed class OrderSagaHarness : IAsyncDisposable
{
    public static readonly ShippingAddress Address = new("1 Main St", "Berlin", "10115", "DE");

    readonly ServiceProvider _provider;

    OrderSagaHarness(ServiceProvider provider)
    {
        _provider = provider;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<OrderStateMachine, OrderState>();
        Machine = provider.GetRequiredService<OrderStateMachine>();
    }

    public Guid OrderId { get; } = NewId.NextGuid();
    public ITestHarness Harness { get; }
    public ISagaStateMachineTestHarness<OrderStateMachine, OrderState> Saga { get; }
    public OrderStateMachine Machine { get; }

    public static async Task<OrderSagaHarness> StartAsync(TimeSpan? paymentTimeout = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<OrderMetrics>();
        services.Configure<OrdersOptions>(options => options.PaymentTimeout = paymentTimeout ?? TimeSpan.FromMinutes(10));
        services.AddMassTransitTestHarness(bus =>
        {
            bus.AddSagaStateMachine<OrderStateMachine, OrderState>().InMemoryRepository();
            bus.AddDelayedMessageScheduler();
            bus.UsingInMemory((context, cfg) =>
            {
                cfg.UseDelayedMessageScheduler();
                cfg.ConfigureEndpoints(context);
            });
        });

        var harness = new OrderSagaHarness(services.BuildServiceProvider(validateScopes: true));
        await harness.Harness.Start();
        return harness;
    }

    /// <summary>Submits the order (two lines, total 25.00) and waits until its saga is <c>Submitted</c>.</summary>
    public async Task SubmitAsync()
    {
        await Harness.Bus.Publish(new OrderSubmitted(OrderId, "customer-1", "ada@example.com",
            [new OrderLine("SKU-1", 2, 5.00m), new OrderLine("SKU-2", 1, 15.00m)], 25.00m, "tok_ok", Address, DateTimeOffset.UtcNow));
        await InStateAsync(Machine.Submitted);
    }

    public Task StockReservedAsync() => Harness.Bus.Publish(new StockReserved(OrderId, DateTimeOffset.UtcNow));

    public Task PaymentCapturedAsync(Guid paymentId) => Harness.Bus.Publish(new PaymentCaptured(OrderId, paymentId, 25.00m, DateTimeOffset.UtcNow));

    public Task ShipmentCreatedAsync() =>
        Harness.Bus.Publish(new ShipmentCreated(OrderId, NewId.NextGuid(), "TRACK-1", DateTimeOffset.UtcNow));

    public Task CancelAsync() => Harness.Bus.Publish(new CancelOrder(OrderId, DateTimeOffset.UtcNow));

    public Task PublishAsync<T>(T message)
        where T : class =>
        Harness.Bus.Publish(message);

    /// <summary>Drives the order to <c>StockReserved</c> (ChargePayment sent, timeout scheduled).</summary>
    public async Task ReserveAsync()
    {
        await SubmitAsync();
        await StockReservedAsync();
        await InStateAsync(Machine.StockReserved);
    }

    /// <summary>Drives the order to <c>Paid</c> (CreateShipment sent).</summary>
    public async Task PayAsync(Guid paymentId)
    {
        await ReserveAsync();
        await PaymentCapturedAsync(paymentId);
        await InStateAsync(Machine.Paid);
    }

    /// <summary>Waits until the saga is in <paramref name="state"/> and returns the instance.</summary>
    public async Task<OrderState> InStateAsync(State state)
    {
        var found = await Saga.Exists(OrderId, _ => state, TimeSpan.FromSeconds(10));
        Assert.True(found.HasValue, $"The saga did not reach {state.Name}.");
        return Saga.Sagas.Contains(OrderId);
    }

    /// <summary>Waits until the saga has consumed <paramref name="count"/> messages of type <typeparamref name="T"/>.</summary>
    public Task ConsumedAsync<T>(int count)
        where T : class =>
        Testing.Eventually.True(() => Task.FromResult(Saga.Consumed.Select<T>().Count() == count),
            $"the saga consumed {count} {typeof(T).Name}", TimeSpan.FromSeconds(10));

    public async Task<T> SentAsync<T>()
        where T : class
    {
        Assert.True(await Harness.Sent.Any<T>(), $"No {typeof(T).Name} was sent.");
        return Harness.Sent.Select<T>().First().Context.Message;
    }

    public int SentCount<T>()
        where T : class =>
        Harness.Sent.Select<T>().Count();

    public Uri? DestinationOf<T>()
        where T : class =>
        Harness.Sent.Select<T>().First().Context.DestinationAddress;

    public async Task<T> PublishedAsync<T>()
        where T : class
    {
        Assert.True(await Harness.Published.Any<T>(), $"No {typeof(T).Name} was published.");
        return Harness.Published.Select<T>().First().Context.Message;
    }

    public int PublishedCount<T>()
        where T : class =>
        Harness.Published.Select<T>().Count();

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}

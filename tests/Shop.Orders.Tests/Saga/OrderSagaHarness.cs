using System.Diagnostics.Metrics;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Shop.Contracts;
using Shop.Messaging.PaymentTokens;
using Shop.Orders.Saga;
using Shop.Testing;

namespace Shop.Orders.Tests.Saga;

/// <summary>
/// The order saga on MassTransit's in-memory test harness, for one order: given replies, expect commands, events and a
/// state. Commands go to queues nobody consumes here, so each one is seen exactly as the saga sent it. Time is a fake
/// clock: deadlines pass when a test moves it (<see cref="AdvanceAsync"/>).
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

    /// <summary>The deadlines the harness runs with (and the defaults' shape): each a round, distinct figure.</summary>
    public static readonly TimeSpan PaymentTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StockReservationDeadline = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan ShipmentDeadline = TimeSpan.FromMinutes(3);
    public static readonly TimeSpan CompensationDeadline = TimeSpan.FromMinutes(2);

    public FakeTimeProvider Clock => _provider.GetRequiredService<FakeTimeProvider>();

    /// <summary>This order's meters: a listener tells its measurements from those of harnesses running beside it.</summary>
    public IMeterFactory MeterFactory => _provider.GetRequiredService<IMeterFactory>();

    /// <summary>What the saga logged at Error (the escalations).</summary>
    public IReadOnlyList<string> Errors => _provider.GetRequiredService<ErrorLog>().Lines;

    public static async Task<OrderSagaHarness> StartAsync()
    {
        var services = new ServiceCollection();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var errors = new ErrorLog();
        services.AddSingleton(clock);
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton(errors);
        services.AddLogging(logging => logging.AddProvider(errors));
        services.AddMetrics();
        services.AddSingleton<OrderMetrics>();
        services.AddSingleton<InMemoryPaymentTokens>();
        services.AddSingleton<IPaymentTokenSource>(provider => provider.GetRequiredService<InMemoryPaymentTokens>());
        services.AddSingleton(new PaymentTokenSealer(Options.Create(new PaymentTokenOptions
        {
            KeyId = TestPaymentTokenKeys.KeyId,
            PublicKey = TestPaymentTokenKeys.Key.ExportSubjectPublicKeyInfoPem(),
        })));
        services.Configure<OrdersOptions>(options =>
        {
            options.PaymentTimeout = PaymentTimeout;
            options.Deadlines.StockReservation = StockReservationDeadline;
            options.Deadlines.Shipment = ShipmentDeadline;
            options.Deadlines.Compensation = CompensationDeadline;
        });
        services.AddMassTransitTestHarness(bus =>
        {
            bus.AddSagaStateMachine<OrderStateMachine, OrderState>().InMemoryRepository();
            bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
        });

        var harness = new OrderSagaHarness(services.BuildServiceProvider(validateScopes: true));
        await harness.Harness.Start();
        return harness;
    }

    /// <summary>The saga's own queue (where its timeouts go).</summary>
    public Uri SagaAddress => Saga.Consumed.Select<OrderSubmitted>().First().Context.ReceiveContext.InputAddress;

    /// <summary>
    /// Moves the fake clock on; every order past its deadline is sent its timeout, its deadline cleared, as the deadline
    /// poller does against the database (<c>When_an_order_passes_its_deadline</c> proves the poller itself).
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Clock.Advance(by);
        foreach (var order in Saga.Sagas.Select(_ => true).Select(x => x.Saga).Where(x => x.DeadlineAt <= Clock.GetUtcNow()).ToList())
        {
            order.DeadlineAt = null;
            if (Machine.DeadlineOf(order) is { Timeout: var timeout })
                await Harness.Bus.Publish(timeout, timeout.GetType());
        }
    }

    /// <summary>The order's deadline if its timeout is a <typeparamref name="T"/>: what will arrive, and when.</summary>
    public IReadOnlyList<(T Message, DateTimeOffset Due)> Deadlines<T>()
        where T : class =>
        [.. Saga.Sagas.Select(_ => true).Select(x => x.Saga)
            .Where(x => x.DeadlineAt is not null)
            .Select(x => (Timeout: Machine.DeadlineOf(x)?.Timeout as T, Due: x.DeadlineAt!.Value))
            .Where(x => x.Timeout is not null)
            .Select(x => (x.Timeout!, x.Due))];

    /// <summary>The tokens the API left on order rows for the saga to take (here: in memory).</summary>
    public InMemoryPaymentTokens PaymentTokens => _provider.GetRequiredService<InMemoryPaymentTokens>();

    /// <summary>Submits the order (two lines, total 25.00; its token left for the saga) and waits until its saga is <c>Submitted</c>.</summary>
    public async Task SubmitAsync()
    {
        // As the API leaves it: sealed for Payments.
        PaymentTokens.Leave(OrderId, TestPaymentTokenKeys.Seal("tok_ok", OrderId));
        await Harness.Bus.Publish(Submitted());
        await InStateAsync(Machine.Submitted);
    }

    /// <summary>The order's OrderSubmitted (v2: no token in it).</summary>
    public OrderSubmitted Submitted(decimal total = 25.00m) =>
        new(OrderId, "customer-1", "ada@example.com", [new OrderLine("SKU-1", 2, 5.00m), new OrderLine("SKU-2", 1, 15.00m)], total,
            Address, DateTimeOffset.UtcNow);

    public Task StockReservedAsync() => Harness.Bus.Publish(new StockReserved(OrderId, DateTimeOffset.UtcNow));

    public Task PaymentCapturedAsync(Guid paymentId) => Harness.Bus.Publish(new PaymentCaptured(OrderId, paymentId, 25.00m, DateTimeOffset.UtcNow));

    public Task ShipmentCreatedAsync() =>
        Harness.Bus.Publish(new ShipmentCreated(OrderId, NewId.NextGuid(), "TRACK-1", DateTimeOffset.UtcNow));

    public Task CancelAsync() => Harness.Bus.Publish(new CancelOrder(OrderId, DateTimeOffset.UtcNow));

    public Task PublishAsync<T>(T message)
        where T : class =>
        Harness.Bus.Publish(message);

    /// <summary>Drives the order to <c>Reserved</c> (ChargePayment sent, its deadline set).</summary>
    public async Task ReserveAsync()
    {
        await SubmitAsync();
        await StockReservedAsync();
        await InStateAsync(Machine.Reserved);
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
        await Testing.Eventually.True(() => Task.FromResult(Harness.Sent.Select<T>().Any()), $"a {typeof(T).Name} sent", TimeSpan.FromSeconds(10));
        return Harness.Sent.Select<T>().First().Context.Message;
    }

    public int SentCount<T>()
        where T : class =>
        Harness.Sent.Select<T>().Count();

    public Uri? DestinationOf<T>()
        where T : class =>
        Harness.Sent.Select<T>().First().Context.DestinationAddress;

    /// <summary>
    /// Waits for the first <typeparamref name="T"/> published. Polled: the saga's state is visible before the activities
    /// that run on entering it (the announcement of Cancelled) have published, and the harness's own Any() can give up
    /// early on an idle moment.
    /// </summary>
    public async Task<T> PublishedAsync<T>()
        where T : class
    {
        await Testing.Eventually.True(() => Task.FromResult(Harness.Published.Select<T>().Any()), $"a {typeof(T).Name} published",
            TimeSpan.FromSeconds(10));
        return Harness.Published.Select<T>().First().Context.Message;
    }

    /// <summary>Waits until at least <paramref name="expected"/> <typeparamref name="T"/> were published, then returns how many.</summary>
    public async Task<int> PublishedCountAsync<T>(int expected)
        where T : class
    {
        await Testing.Eventually.True(() => Task.FromResult(PublishedCount<T>() >= expected), $"{expected} {typeof(T).Name} published",
            TimeSpan.FromSeconds(10));
        return PublishedCount<T>();
    }

    public int PublishedCount<T>()
        where T : class =>
        Harness.Published.Select<T>().Count();

    /// <summary>
    /// Confirms every compensation of the order (as Inventory, Payments and Shipping reply): Payments' confirmation is the
    /// refund of the capture the saga was told of, or a void when there was none.
    /// </summary>
    public async Task ConfirmAsync(bool stock = true, bool payment = true, bool shipment = true)
    {
        if (stock)
            await PublishAsync(new StockReleased(OrderId, DateTimeOffset.UtcNow));
        if (payment)
        {
            var captured = Saga.Sagas.Contains(OrderId)?.PaymentId;
            await PublishAsync(new PaymentRefunded(OrderId, captured, captured is null ? 0m : 25.00m, DateTimeOffset.UtcNow));
        }
        if (shipment)
            await PublishAsync(new ShipmentCancelled(OrderId, DateTimeOffset.UtcNow));
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }
}

/// <summary>Collects the Error lines of the service's own loggers (not MassTransit's).</summary>
public sealed class ErrorLog : ILoggerProvider
{
    readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName.StartsWith("Shop.", StringComparison.Ordinal));

    public void Dispose()
    {
    }

    sealed class Logger(ErrorLog log, bool ours) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull =>
            null;

        public bool IsEnabled(LogLevel logLevel) => ours && logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
                return;
            lock (log._lines)
                log._lines.Add(formatter(state, exception));
        }
    }
}

/// <summary>The order rows' payment tokens of the real service, as a dictionary: taken once, then gone.</summary>
public sealed class InMemoryPaymentTokens : IPaymentTokenSource
{
    readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, string> _tokens = new();

    public void Leave(Guid orderId, string token) => _tokens[orderId] = token;

    public bool Holds(Guid orderId) => _tokens.ContainsKey(orderId);

    public Task<string?> TakeAsync(Guid orderId, CancellationToken cancellationToken) =>
        Task.FromResult(_tokens.TryRemove(orderId, out var token) ? token : null);
}

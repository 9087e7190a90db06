using System.Diagnostics.Metrics;
using Shop.Contracts;

namespace Shop.Orders.Tests.Saga;

/// <summary>Past the compensation deadline an order is escalated — logged at error, counted — and keeps waiting.</summary>
public sealed class When_a_compensation_is_overdue : IAsyncLifetime
{
    readonly MeterListener _listener = new();
    long _overdue;
    OrderSagaHarness _order = null!;
    IMeterFactory? _meters;

    public async Task InitializeAsync()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument is { Name: "shop.orders.compensation_overdue", Meter.Name: OrderMetrics.MeterName })
                listener.EnableMeasurementEvents(instrument);
        };
        // Only this test's order: saga tests running in parallel escalate orders of their own on the same meter name.
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (_meters is not null && ReferenceEquals(instrument.Meter.Scope, _meters))
                Interlocked.Add(ref _overdue, value);
        });
        _listener.Start();

        _order = await OrderSagaHarness.StartAsync();
        _meters = _order.MeterFactory;
        await _order.ReserveAsync();
        await _order.CancelAsync();
        await _order.InStateAsync(_order.Machine.Compensating);
    }

    public async Task DisposeAsync()
    {
        _listener.Dispose();
        await _order.DisposeAsync();
    }

    [Fact]
    public async Task Should_not_escalate_before_the_deadline()
    {
        await _order.AdvanceAsync(OrderSagaHarness.CompensationDeadline - TimeSpan.FromSeconds(1));

        var state = await _order.InStateAsync(_order.Machine.Compensating);
        Assert.Null(state.EscalatedAt);
        Assert.Empty(_order.Errors);
    }

    [Fact]
    public async Task Should_escalate_log_and_count_it_and_keep_waiting()
    {
        var escalatedAt = _order.Clock.GetUtcNow() + OrderSagaHarness.CompensationDeadline;
        await _order.AdvanceAsync(OrderSagaHarness.CompensationDeadline);
        await _order.ConsumedAsync<CompensationTimeoutExpired>(1);

        var state = await _order.InStateAsync(_order.Machine.Compensating);
        Assert.Equal(escalatedAt, state.EscalatedAt);
        Assert.Contains(_order.Errors, line => line.Contains(_order.OrderId.ToString(), StringComparison.Ordinal) && line.Contains("1 refund(s)"));
        await Testing.Eventually.True(() => Task.FromResult(Interlocked.Read(ref _overdue) == 1), "the escalation counted");
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());

        // Never dropped: escalated again a period later, until the compensations are confirmed.
        Assert.Single(_order.Deadlines<CompensationTimeoutExpired>());
        await _order.AdvanceAsync(OrderSagaHarness.CompensationDeadline);
        await _order.ConsumedAsync<CompensationTimeoutExpired>(2);
        Assert.Equal(escalatedAt, (await _order.InStateAsync(_order.Machine.Compensating)).EscalatedAt);
        Assert.Equal(2, _order.Errors.Count);

        await _order.ConfirmAsync(shipment: false);
        await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Empty(_order.Deadlines<CompensationTimeoutExpired>());
        Assert.Equal(1, await _order.PublishedCountAsync<OrderCancelled>(1));
    }
}

using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Testing;

namespace Shop.Messaging.Tests.Infrastructure;

/// <summary>A private PostgreSQL database and RabbitMQ virtual host for one test class.</summary>
public abstract class MessagingTest() : DatabaseAndVirtualHost("shop_test"), IAsyncLifetime
{
    protected TestDatabase Db => Database;
}

/// <summary>One host running the counter consumer (inbox + outbox + retry) and the probe that records its events.</summary>
public abstract class CounterHostTest : MessagingTest
{
    protected MessagingTestHost Host { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host = await MessagingTestHost.StartAsync(Db, VirtualHost, bus =>
        {
            bus.AddConsumer<IncrementCounterConsumer, IncrementCounterConsumerDefinition>();
            bus.AddConsumer<CounterIncrementedProbe>();
        });
    }

    public override async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await base.DisposeAsync();
    }
}

/// <summary>One host running the work saga (optimistic concurrency, scheduling); tests may restart it.</summary>
public abstract class WorkSagaTest : MessagingTest
{
    protected MessagingTestHost Host { get; set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Host = await StartHost();
    }

    protected Task<MessagingTestHost> StartHost() =>
        MessagingTestHost.StartAsync(Db, VirtualHost, bus => bus.AddSagaStateMachine<WorkStateMachine, WorkState, WorkStateDefinition>());

    protected Task<WorkState?> Work(Guid id) =>
        Host.InScope(services => services.GetRequiredService<TestDbContext>().Work.AsNoTracking().SingleOrDefaultAsync(x => x.CorrelationId == id));

    public override async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        await base.DisposeAsync();
    }
}

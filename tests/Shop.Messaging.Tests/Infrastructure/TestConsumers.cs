using System.Collections.Concurrent;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Configuration;

namespace Shop.Messaging.Tests.Infrastructure;

public sealed class IncrementCounterConsumer(TestDbContext db) : IConsumer<IncrementCounter>, IConsumer<IncrementThenExplode>, IConsumer<FlakyIncrement>
{
    /// <summary>Deliveries seen per key, across redeliveries (lives outside the rolled-back transaction on purpose).</summary>
    public static readonly ConcurrentDictionary<string, int> Attempts = new();

    public async Task Consume(ConsumeContext<IncrementCounter> context) => await Increment(context, context.Message.Key);

    public async Task Consume(ConsumeContext<IncrementThenExplode> context)
    {
        await Increment(context, context.Message.Key);
        await db.SaveChangesAsync();
        throw new InvalidOperationException($"Boom after publishing for {context.Message.Key}");
    }

    public async Task Consume(ConsumeContext<FlakyIncrement> context)
    {
        var attempt = Attempts.AddOrUpdate(context.Message.Key, 1, (_, n) => n + 1);
        if (attempt <= context.Message.Failures)
            throw new InvalidOperationException($"Failure {attempt} of {context.Message.Failures} for {context.Message.Key}");

        await Increment(context, context.Message.Key);
    }

    async Task Increment(ConsumeContext context, string key)
    {
        var counter = await db.Counters.SingleOrDefaultAsync(x => x.Key == key);
        if (counter is null)
            db.Counters.Add(counter = new Counter { Key = key });
        counter.Value++;
        await context.Publish(new CounterIncremented(key));
    }
}

public sealed class IncrementCounterConsumerDefinition : ConsumerDefinition<IncrementCounterConsumer>
{
    public IncrementCounterConsumerDefinition()
    {
        EndpointName = "increment-counter";
        ConcurrentMessageLimit = 1;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<IncrementCounterConsumer> consumer,
        IRegistrationContext context)
    {
        endpoint.UseShopRetry(context, retry =>
        {
            retry.ImmediateRetries = 0;
            retry.Redeliveries = [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)];
        });
        endpoint.UseShopOutbox(context);
    }
}

/// <summary>Records every delivery of <see cref="CounterIncremented"/> as the broker hands it over (no inbox: duplicates would show).</summary>
public sealed class CounterIncrementedProbe : IConsumer<CounterIncremented>, IConsumer<Ping>
{
    public static readonly ConcurrentDictionary<string, ConcurrentBag<Guid>> Received = new();

    public Task Consume(ConsumeContext<CounterIncremented> context)
    {
        Received.GetOrAdd(context.Message.Key, _ => []).Add(context.MessageId!.Value);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<Ping> context)
    {
        Received.GetOrAdd($"ping-{context.Message.Number}", _ => []).Add(context.MessageId!.Value);
        return Task.CompletedTask;
    }
}

/// <summary>A consumer with nothing but its message: no definition, no endpoint policy of its own.</summary>
public sealed class PlainIncrementConsumer(TestDbContext db) : IConsumer<PlainIncrement>
{
    public async Task Consume(ConsumeContext<PlainIncrement> context)
    {
        var counter = await db.Counters.SingleOrDefaultAsync(x => x.Key == context.Message.Key);
        if (counter is null)
            db.Counters.Add(counter = new Counter { Key = context.Message.Key });
        counter.Value++;
        await context.Publish(new CounterIncremented(context.Message.Key));
        if (context.Message.Explode)
        {
            await db.SaveChangesAsync();
            throw new InvalidOperationException($"Boom for {context.Message.Key}");
        }
    }
}

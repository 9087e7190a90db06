using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Configuration;
using MassTransit.Context;
using MassTransit.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace Shop.Orders.Tests.Saga;

/// <summary>
/// The saga's scheduler on the in-memory harness, driven by a <see cref="FakeTimeProvider"/> like our outbox scheduler
/// is by the delivery service: a scheduled message waits here until the fake clock reaches its due time and is then
/// sent with its scheduling token; an unscheduled one is removed and never sent. Deadlines are proven by moving the
/// clock, never by waiting for real time.
/// </summary>
public sealed class FakeClockScheduler(FakeTimeProvider clock) : IFilter<ConsumeContext>
{
    readonly ConcurrentDictionary<Guid, Entry> _pending = new();

    public FakeTimeProvider Clock => clock;

    /// <summary>The bus that sends due messages; set once the harness has started.</summary>
    public IBus? Bus { get; set; }

    /// <summary>The messages of type <typeparamref name="T"/> scheduled and not sent nor unscheduled, with their due time.</summary>
    public IReadOnlyList<(T Message, DateTimeOffset Due)> Pending<T>()
        where T : class =>
        [.. _pending.Values.Where(x => x.Message is T).OrderBy(x => x.Due).Select(x => ((T)x.Message, x.Due))];

    /// <summary>Moves the clock on and sends, in due order, every message that has come due.</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        clock.Advance(by);
        foreach (var entry in _pending.Values.Where(x => x.Due <= clock.GetUtcNow()).OrderBy(x => x.Due).ToList())
        {
            if (!_pending.TryRemove(entry.TokenId, out _))
                continue;
            var endpoint = await Bus!.GetSendEndpoint(entry.Destination);
            await endpoint.Send(entry.Message, entry.Message.GetType(),
                Pipe.Execute<SendContext>(context => context.Headers.Set(MessageHeaders.SchedulingTokenId, entry.TokenId)));
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("fake-clock-scheduler");

    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        context.GetOrAddPayload<MessageSchedulerContext>(() => new ConsumeMessageSchedulerContext(context,
            consumeContext => new MessageScheduler(new Provider(this), consumeContext.GetPayload<IBusTopology>())));
        return next.Send(context);
    }

    public IPipeSpecification<ConsumeContext> Specification => new FilterPipeSpecification<ConsumeContext>(this);

    sealed record Entry(Guid TokenId, Uri Destination, object Message, DateTimeOffset Due);

    sealed class Provider(FakeClockScheduler scheduler) : IScheduleMessageProvider
    {
        public Task<ScheduledMessage<T>> ScheduleSend<T>(Uri destinationAddress, DateTime scheduledTime, T message, IPipe<SendContext<T>> pipe,
            CancellationToken cancellationToken)
            where T : class
        {
            // MassTransit computed the time from the real clock; what counts is the delay, put on the fake clock.
            var delay = TimeSpan.FromMilliseconds(Math.Round((scheduledTime - DateTime.UtcNow).TotalMilliseconds / 100) * 100);
            var tokenId = NewId.NextGuid();
            scheduler._pending[tokenId] = new Entry(tokenId, destinationAddress, message, scheduler.Clock.GetUtcNow() + delay);
            return Task.FromResult<ScheduledMessage<T>>(new ScheduledMessageHandle<T>(tokenId, scheduledTime, destinationAddress, message));
        }

        public Task CancelScheduledSend(Guid tokenId, CancellationToken cancellationToken)
        {
            scheduler._pending.TryRemove(tokenId, out _);
            return Task.CompletedTask;
        }

        public Task CancelScheduledSend(Uri destinationAddress, Guid tokenId, CancellationToken cancellationToken) =>
            CancelScheduledSend(tokenId, cancellationToken);
    }
}

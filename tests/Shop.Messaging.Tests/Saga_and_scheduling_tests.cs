using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests;

public sealed class When_50_concurrent_messages_update_one_saga : WorkSagaTest
{
    [Fact]
    public async Task Should_apply_all_50_without_a_lost_update()
    {
        var id = Guid.NewGuid();
        await Host.Bus.SendTo("work-state", new StartWork(id, TimeSpan.FromMinutes(10)));
        await Eventually.True(async () => await Work(id) is not null, "the saga exists");

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Host.Bus.SendTo("work-state", new AddToWork(id))));

        await Eventually.True(async () => (await Work(id))!.Additions == 50, "all 50 additions are applied", TimeSpan.FromSeconds(60));
        var work = (await Work(id))!;
        Assert.Equal(51, work.Version);
        Assert.Equal("Active", work.CurrentState);
    }
}

public sealed class When_two_initiating_messages_race_for_one_saga : WorkSagaTest
{
    [Fact]
    public async Task Should_create_one_row_and_fault_nothing()
    {
        var id = Guid.NewGuid();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Host.Bus.SendTo("work-state", new StartWork(id, TimeSpan.FromMinutes(10)))));
        await Host.Bus.SendTo("work-state", new AddToWork(id));

        await Eventually.True(async () => (await Work(id))?.Additions == 1, "the saga exists and took the addition");
        await Consistently.True(async () => await VirtualHost.MessagesReadyAsync("work-state_error") == 0, "no initiating message faults",
            TimeSpan.FromSeconds(1.5));
        Assert.Equal(1, await Db.ScalarAsync<long>($"SELECT count(*) FROM \"WorkState\" WHERE \"CorrelationId\" = '{id}'"));
        Assert.Equal(0, await VirtualHost.MessagesReadyAsync("work-state_error"));
        // A losing StartWork was handled on its first delivery: none waits in the outbox for a redelivery.
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxMessage\" WHERE \"MessageType\" LIKE '%StartWork%'"));
    }
}

public sealed class When_a_saga_schedules_a_timeout : WorkSagaTest
{
    [Fact]
    public async Task Should_fire_after_its_delay()
    {
        var id = Guid.NewGuid();
        await Host.Bus.SendTo("work-state", new StartWork(id, TimeSpan.FromSeconds(3)));

        var work = await Eventually.Value(async () => (await Work(id)) is { TimedOutAt: not null } w ? w : null, "the timeout fired");

        // Never early; late by at most one delivery poll (1 s) plus headroom for a loaded CI machine.
        var delay = work.TimedOutAt!.Value - work.StartedAt;
        Assert.InRange(delay.TotalSeconds, 2.5, 8.0);
        Assert.Equal("Expired", work.CurrentState);
        Assert.Equal(1, work.Timeouts);
    }

    [Fact]
    public async Task Should_still_fire_when_the_host_restarts_in_between()
    {
        var id = Guid.NewGuid();
        await Host.Bus.SendTo("work-state", new StartWork(id, TimeSpan.FromSeconds(4)));
        await Eventually.True(async () => await Work(id) is not null, "the saga exists");

        await Host.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(1)); // the host stays down for a while, not a wait for a condition
        Host = await StartHost();

        var work = await Eventually.Value(async () => (await Work(id)) is { TimedOutAt: not null } w ? w : null, "the timeout fired after the restart");
        Assert.InRange((work.TimedOutAt!.Value - work.StartedAt).TotalSeconds, 3.5, 9.0);
        Assert.Equal(1, work.Timeouts);
    }

    [Fact]
    public async Task Should_ignore_a_superseded_timeout()
    {
        var id = Guid.NewGuid();
        await Host.Bus.SendTo("work-state", new StartWork(id, TimeSpan.FromSeconds(1)));
        await Eventually.True(async () => await Work(id) is not null, "the saga exists");
        await Host.Bus.SendTo("work-state", new ExtendWork(id, TimeSpan.FromSeconds(3)));

        var work = await Eventually.Value(async () => (await Work(id)) is { TimedOutAt: not null } w ? w : null, "the replacement timeout fired");
        await Consistently.True(async () => (await Work(id))!.Timeouts == 1, "no second timeout takes effect", TimeSpan.FromSeconds(1.5));
        work = (await Work(id))!;

        Assert.True((work.TimedOutAt!.Value - work.StartedAt).TotalSeconds >= 2.5, "the first (superseded) timeout had no effect");
        Assert.Equal(1, work.Timeouts);
    }

    [Fact]
    public async Task Should_have_no_effect_once_cancelled()
    {
        var id = Guid.NewGuid();
        await Host.Bus.SendTo("work-state", new StartWork(id, TimeSpan.FromSeconds(2)));
        await Eventually.True(async () => await Work(id) is not null, "the saga exists");
        await Host.Bus.SendTo("work-state", new CancelWork(id));
        await Eventually.True(async () => (await Work(id))!.CurrentState == "Stopped", "the work stopped");

        await Consistently.True(async () => (await Work(id))!.Timeouts == 0, "the cancelled timeout has no effect past its due time",
            TimeSpan.FromSeconds(3));

        var work = (await Work(id))!;
        Assert.Equal(0, work.Timeouts);
        Assert.Null(work.TimedOutAt);
    }

    [Fact]
    public async Task Should_withdraw_a_cancelled_timeout_from_the_outbox()
    {
        var id = Guid.NewGuid();
        await Host.Bus.SendTo("work-state", new StartWork(id, TimeSpan.FromMinutes(5)));
        await Eventually.True(async () => await ScheduledTimeouts() == 1, "the timeout waits in the outbox");

        await Host.Bus.SendTo("work-state", new CancelWork(id));
        await Eventually.True(async () => (await Work(id))!.CurrentState == "Stopped", "the work stopped");

        // Deleted in the cancelling transaction: never sent, not merely ignored when it arrives.
        Assert.Equal(0, await ScheduledTimeouts());
        Assert.Equal(0, await Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxState\""));
    }

    [Fact]
    public async Task Should_keep_only_the_replacement_of_a_superseded_timeout_in_the_outbox()
    {
        var id = Guid.NewGuid();
        await Host.Bus.SendTo("work-state", new StartWork(id, TimeSpan.FromMinutes(5)));
        await Eventually.True(async () => await ScheduledTimeouts() == 1, "the first timeout waits in the outbox");
        var first = await Db.ScalarAsync<Guid>(TimeoutTokenSql);

        await Host.Bus.SendTo("work-state", new ExtendWork(id, TimeSpan.FromMinutes(10)));
        var work = await Eventually.Value(async () => await Work(id) is { TimeoutTokenId: { } token } w && token != first ? w : null,
            "the saga holds the replacement's token");

        Assert.Equal(1, await ScheduledTimeouts());
        Assert.Equal(work.TimeoutTokenId, await Db.ScalarAsync<Guid>(TimeoutTokenSql));
    }

    const string TimeoutTokenSql = "SELECT \"SchedulingTokenId\" FROM \"OutboxMessage\" WHERE \"MessageType\" LIKE '%WorkTimedOut%'";

    Task<long> ScheduledTimeouts() => Db.ScalarAsync<long>("SELECT count(*) FROM \"OutboxMessage\" WHERE \"MessageType\" LIKE '%WorkTimedOut%'");
}

using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Messaging.Sagas;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests.Scaling;

/// <summary>
/// A rolling upgrade that renames a saga state (<c>Running</c> → <c>Active</c>): the previous and the current state
/// machine run side by side on one queue and one table. The current release declares the former name; the previous one
/// was shipped knowing the coming name (the two-step rule in docs/scaling.md), so each loads what the other stores.
/// </summary>
public sealed class When_two_releases_share_the_saga_table : MessagingTest
{
    static readonly KeyValuePair<string, string>[] CurrentAliases = [new("Running", "Active")];
    static readonly KeyValuePair<string, string>[] PreviousAliases = [new("Active", "Running")];

    [Fact]
    public async Task Should_load_a_row_stored_under_the_former_name_and_move_it_on()
    {
        await using var current = await Current();
        var id = Guid.NewGuid();
        await StoreAsPreviousReleaseDid(id, "Running");

        // Loaded as Active (a Running row would be UnknownStateException) and took the addition. The cancel goes only
        // then: the endpoint runs 16 at a time, so sent together it could win the row first and the addition be ignored.
        await current.Bus.SendTo("work-state", new AddToWork(id));
        await Eventually.True(async () => await Work(current, id) is { Additions: 1 }, "the addition was applied");
        await current.Bus.SendTo("work-state", new CancelWork(id));

        // Then moved on to Stopped.
        var work = await Eventually.Value(async () => await Work(current, id) is { CurrentState: "Stopped" } w ? w : null, "the order moved on");
        Assert.Equal(1, work.Additions);
        Assert.Equal(0, await VirtualHost.MessagesReadyAsync("work-state_error"));
    }

    [Fact]
    public async Task Should_let_the_previous_release_load_a_row_the_current_one_stored()
    {
        await using var previous = await Previous();
        var id = Guid.NewGuid();
        await StoreAsPreviousReleaseDid(id, "Active");

        await previous.Bus.SendTo("work-state", new AddToWork(id));

        var work = await Eventually.Value(async () => await Work(previous, id) is { Additions: 1 } w ? w : null, "the addition was applied");
        // Stored back under the name the loading release declares.
        Assert.Equal("Running", work.CurrentState);
        Assert.Equal(0, await VirtualHost.MessagesReadyAsync("work-state_error"));
    }

    [Fact]
    public async Task Should_apply_every_message_while_both_releases_consume_one_queue()
    {
        await using var previous = await Previous();
        await using var current = await Current();
        var id = Guid.NewGuid();

        await previous.Bus.SendTo("work-state", new StartWork(id, TimeSpan.FromMinutes(10)));
        await Eventually.True(async () => await Work(current, id) is not null, "the saga exists");
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? previous : current).Bus.SendTo("work-state", new AddToWork(id))));

        await Eventually.True(async () => (await Work(current, id))!.Additions == 40, "every addition is applied, by either release",
            TimeSpan.FromSeconds(60));
        Assert.Contains((await Work(current, id))!.CurrentState, new[] { "Running", "Active" });
        Assert.Equal(0, await VirtualHost.MessagesReadyAsync("work-state_error"));
    }

    [Fact]
    public void Should_refuse_an_alias_of_a_name_to_itself() =>
        Assert.Throws<ArgumentException>(() => new SagaStateAliases<WorkState>([new("Active", "Active")]));

    Task<MessagingTestHost> Current() => MessagingTestHost.StartAsync(Db, VirtualHost,
        bus => bus.AddSagaStateMachine<WorkStateMachine, WorkState, WorkStateDefinition>(),
        configure: builder => builder.Services.AddSagaStateAliases<WorkState>(CurrentAliases));

    Task<MessagingTestHost> Previous() => MessagingTestHost.StartAsync(Db, VirtualHost,
        bus => bus.AddSagaStateMachine<PreviousWorkStateMachine, WorkState, PreviousWorkStateDefinition>(),
        configure: builder => builder.Services.AddSagaStateAliases<WorkState>(PreviousAliases));

    Task StoreAsPreviousReleaseDid(Guid id, string state) => Db.ExecuteAsync($"""
        INSERT INTO "WorkState" ("CorrelationId", "CurrentState", "Version", "Additions", "Timeouts", "StartedAt")
        VALUES ('{id}', '{state}', 1, 0, 0, now())
        """);

    static Task<WorkState?> Work(MessagingTestHost host, Guid id) =>
        host.InScope(services => services.GetRequiredService<TestDbContext>().Work.AsNoTracking().SingleOrDefaultAsync(x => x.CorrelationId == id));
}

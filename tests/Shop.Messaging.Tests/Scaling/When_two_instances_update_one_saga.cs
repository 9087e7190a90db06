using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests.Scaling;

/// <summary>
/// Two bus instances consume one saga queue against one database: the in-process partitioner serialises nothing across
/// them, so they race on the same row — concurrency conflicts on update, duplicate keys on insert. Each race is retried
/// on fresh state until it applies.
/// </summary>
public sealed class When_two_instances_update_one_saga : MessagingTest
{
    [Fact]
    public async Task Should_create_one_row_and_apply_every_update_once()
    {
        await using var first = await StartInstance();
        await using var second = await StartInstance();
        var id = Guid.NewGuid();

        // Both instances get initiating messages for one saga at once, then 60 updates between them.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? first : second).Bus.SendTo("work-state",
            new StartWork(id, TimeSpan.FromMinutes(10)))));
        await Eventually.True(async () => await Work(first, id) is not null, "the saga exists");
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => (i % 2 == 0 ? first : second).Bus.SendTo("work-state", new AddToWork(id))));

        await Eventually.True(async () => (await Work(first, id))!.Additions == 60, "all 60 additions are applied", TimeSpan.FromSeconds(60));
        await Consistently.True(async () => (await Work(second, id))!.Additions == 60, "no addition is applied twice");
        var work = (await Work(second, id))!;
        // One write per message that found the saga — the insert, 5 ignored StartWork, 60 additions — none lost, none twice.
        Assert.Equal(66, work.Version);
        Assert.Equal(1, await Db.ScalarAsync<long>($"SELECT count(*) FROM \"WorkState\" WHERE \"CorrelationId\" = '{id}'"));
        Assert.Equal(0, await VirtualHost.MessagesReadyAsync("work-state_error"));
    }

    Task<MessagingTestHost> StartInstance() =>
        MessagingTestHost.StartAsync(Db, VirtualHost, bus => bus.AddSagaStateMachine<WorkStateMachine, WorkState, WorkStateDefinition>());

    static Task<WorkState?> Work(MessagingTestHost host, Guid id) =>
        host.InScope(services => services.GetRequiredService<TestDbContext>().Work.AsNoTracking().SingleOrDefaultAsync(x => x.CorrelationId == id));
}

using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Messaging.Tests.Scaling;

/// <summary>
/// Sequential ids (NewId) from several instances in the same clock tick: unique only if each instance has a node id of
/// its own — also in containers, where every instance is PID 1 on an address that shares its first bytes.
/// </summary>
public sealed class When_instances_generate_sequential_ids
{
    const int PerInstance = 20_000;

    [Fact]
    public void Should_collide_with_the_default_node_id_of_two_containers_on_one_network_address()
    {
        // NewId's default node: the host's network address and the process id. Two containers on the host's network
        // (or two pods of one node with host networking) share the address, and each runs its service as PID 1.
        INewIdGenerator Container() => new NewIdGenerator(new FrozenClock(), new Worker([0x02, 0x42, 0xac, 0x11, 0x00, 0x02]), new Pid([1, 0, 0, 0]));

        var shared = Ids(Container()).Intersect(Ids(Container())).Count();

        Assert.Equal(PerInstance, shared);
    }

    [Fact]
    public void Should_be_unique_across_instances_with_the_same_name_and_pid()
    {
        var nodes = Enumerable.Range(0, 8)
            .Select(_ => SequentialIds.NodeId("orders", processId: 1, processStartTicks: 0, System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)))
            .ToList();
        var ids = nodes.Select(node => Ids(SequentialIds.Generator(node, new FrozenClock()))).ToList();

        Assert.Equal(nodes.Count, nodes.Select(Convert.ToHexString).Distinct().Count());
        Assert.Equal(nodes.Count * PerInstance, ids.SelectMany(x => x).Distinct().Count());
    }

    [Fact]
    public void Should_derive_the_node_id_from_the_instance_identity()
    {
        var nonce = new byte[16];

        Assert.Equal(SequentialIds.NodeId("orders-1", 1, 0, nonce), SequentialIds.NodeId("orders-1", 1, 0, nonce));
        Assert.NotEqual(SequentialIds.NodeId("orders-1", 1, 0, nonce), SequentialIds.NodeId("orders-2", 1, 0, nonce));
        Assert.NotEqual(SequentialIds.NodeId("orders-1", 1, 0, nonce), SequentialIds.NodeId("orders-1", 2, 0, nonce));
        Assert.Equal(6, SequentialIds.NodeId("orders-1", 1, 0, nonce).Length);
    }

    [Fact]
    public void Should_be_installed_for_the_process_by_AddShopMessaging()
    {
        SequentialIds.UseInstanceIdentity("test");

        Assert.NotNull(SequentialIds.Node);
        Assert.NotEqual(NewId.NextGuid(), NewId.NextGuid());
    }

    static HashSet<Guid> Ids(INewIdGenerator generator) => [.. Enumerable.Range(0, PerInstance).Select(_ => generator.NextGuid())];

    /// <summary>Every id in the same tick: the worst case for a collision.</summary>
    sealed class FrozenClock : ITickProvider
    {
        public long Ticks => 638_000_000_000_000_000;
    }

    sealed class Worker(byte[] id) : IWorkerIdProvider
    {
        public byte[] GetWorkerId(int index) => id;
    }

    sealed class Pid(byte[] id) : IProcessIdProvider
    {
        public byte[] GetProcessId() => id;
    }
}

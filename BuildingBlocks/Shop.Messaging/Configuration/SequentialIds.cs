using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using MassTransit;
using MassTransit.NewIdProviders;

namespace Shop.Messaging.Configuration;

/// <summary>
/// Makes the sequential ids of this process (<see cref="NewId"/>: message ids, outbox groups, scheduling tokens) unique
/// across every instance of every service. NewId's default node id (48 bits) is the first 4 bytes of a network address
/// plus the low 2 bytes of the process id: containers on one bridge share those 4 bytes (02:42:ac:11:…) and are all
/// PID 1 — two instances generating in the same clock tick would then produce the same id. Here the node id is a hash
/// of the instance's identity (the configured <c>Messaging:InstanceId</c>, else the host name) with the process id, the
/// process start time and a random nonce, so two processes never share it even with equal names and PIDs.
/// </summary>
public static class SequentialIds
{
    static readonly Lock Sync = new();
    static string? _node;

    /// <summary>The node id in use (hex), for logs; null until <see cref="UseInstanceIdentity"/> ran.</summary>
    public static string? Node => _node;

    /// <summary>Installs a generator whose node id derives from <paramref name="instance"/>; idempotent per process.</summary>
    public static void UseInstanceIdentity(string? instance)
    {
        lock (Sync)
        {
            if (_node is not null)
                return;

            var node = NodeId(instance ?? Environment.MachineName, Environment.ProcessId, ProcessStart(), RandomNumberGenerator.GetBytes(16));
            NewId.SetGenerator(Generator(node));
            _node = Convert.ToHexString(node);
        }
    }

    /// <summary>
    /// The 6 bytes NewId puts in every id beside the time and a sequence: 48 bits of a SHA-256 of the inputs, so
    /// inputs that differ in anything (the nonce always does) give different node ids with overwhelming probability.
    /// </summary>
    internal static byte[] NodeId(string instance, int processId, long processStartTicks, byte[] nonce)
    {
        var identity = Encoding.UTF8.GetBytes($"{instance}|{processId}|{processStartTicks}|{Convert.ToHexString(nonce)}");
        return SHA256.HashData(identity)[..6];
    }

    /// <summary>A generator with the given node id (and the system clock): NewId takes 4 bytes of the worker id and 2 of the process id.</summary>
    internal static INewIdGenerator Generator(byte[] node, ITickProvider? ticks = null) =>
        new NewIdGenerator(ticks ?? new DateTimeTickProvider(), new FixedWorkerId(node), new FixedProcessId(node[4..6]));

    static long ProcessStart()
    {
        try
        {
            using var process = Process.GetCurrentProcess();
            return process.StartTime.ToUniversalTime().Ticks;
        }
        catch (Exception exception) when (exception is InvalidOperationException or NotSupportedException)
        {
            return 0;
        }
    }

    sealed class FixedWorkerId(byte[] id) : IWorkerIdProvider
    {
        public byte[] GetWorkerId(int index) => id;
    }

    sealed class FixedProcessId(byte[] id) : IProcessIdProvider
    {
        public byte[] GetProcessId() => id;
    }
}

namespace Shop.Messaging.Configuration;

/// <summary>Tuning for the inbox, outbox and delivery service. Bound from the <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    /// <summary>How long a consumed message id is remembered; a duplicate arriving later than this is processed again.</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan InboxCleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Fallback poll when no commit signal arrives (other instances, scheduled messages, crash leftovers).</summary>
    public TimeSpan DeliveryPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Outbox messages taken and sent per delivery pass (their groups locked; the last group may continue in the next pass).</summary>
    public int DeliveryBatchSize { get; set; } = 100;

    /// <summary>Groups sent in parallel within a pass (each group stays in order).</summary>
    public int DeliveryConcurrency { get; set; } = 32;

    /// <summary>
    /// How long a delivery waits for the broker to confirm one send. Unconfirmed by then, the message counts as "maybe
    /// sent": it stays in the outbox and is sent again (the receiver's inbox drops the copy). Keep it well below the
    /// host's shutdown timeout, so a stopping instance records what it sent before it exits.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Inbox rows deleted per statement by the clean-up (it loops until the expired rows are gone).</summary>
    public int InboxCleanupBatchSize { get; set; } = 1_000;

    /// <summary>
    /// False for a process that only writes to the outbox and leaves sending to the service's other instances (and for
    /// tests that simulate a crash between commit and delivery).
    /// </summary>
    public bool DeliveryEnabled { get; set; } = true;

    /// <summary>
    /// This instance's name (e.g. <c>orders-2</c>, a pod name); default the host name. Feeds the node id of the
    /// sequential ids (<see cref="SequentialIds"/>), together with the process id, start time and a random nonce.
    /// </summary>
    public string? InstanceId { get; set; }
}

/// <summary>Where the broker is. Bound from the <c>RabbitMq</c> configuration section.</summary>
public sealed class RabbitMqOptions
{
    public string Host { get; set; } = "localhost";
    public ushort Port { get; set; } = 5672;
    public string VirtualHost { get; set; } = "/";

    /// <summary>This service's own broker user; no default (required, see <see cref="RabbitMqOptionsValidation"/>).</summary>
    public string Username { get; set; } = "";

    /// <summary>Its password; no default (required).</summary>
    public string Password { get; set; } = "";

    /// <summary>Messages each endpoint may hold unacknowledged.</summary>
    public ushort PrefetchCount { get; set; } = 32;

    /// <summary>Cluster mode: durable endpoint queues are quorum queues (<see cref="Configuration.QuorumQueues"/>).</summary>
    public bool QuorumQueues { get; set; }
}

namespace Shop.Messaging.Configuration;

/// <summary>Tuning for the inbox, outbox and delivery service. Bound from the <c>Messaging</c> configuration section.</summary>
public sealed class MessagingOptions
{
    /// <summary>How long a consumed message id is remembered; a duplicate arriving later than this is processed again.</summary>
    public TimeSpan DuplicateDetectionWindow { get; set; } = TimeSpan.FromMinutes(30);

    public TimeSpan InboxCleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Fallback poll when no commit signal arrives (other instances, scheduled messages, crash leftovers).</summary>
    public TimeSpan DeliveryPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Outbox groups locked and sent per delivery pass.</summary>
    public int DeliveryBatchSize { get; set; } = 100;

    /// <summary>Groups sent in parallel within a pass (each group stays in order).</summary>
    public int DeliveryConcurrency { get; set; } = 32;

    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// False for a process that only writes to the outbox and leaves sending to the service's other instances (and for
    /// tests that simulate a crash between commit and delivery).
    /// </summary>
    public bool DeliveryEnabled { get; set; } = true;
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

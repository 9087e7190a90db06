namespace Shop.Messaging.Diagnostics;

/// <summary>When the messaging health checks report Degraded. Bound from the <c>Messaging:Health</c> configuration section.</summary>
public sealed class MessagingHealthOptions
{
    /// <summary>The outbox is Degraded once its oldest due, undelivered message has waited longer than this.</summary>
    public TimeSpan OutboxMaxAge { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the error-queue counts are reused before the broker is asked again.</summary>
    public TimeSpan ErrorQueueCacheDuration { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>How often the messaging tables are counted for the gauges. Bound from the <c>Messaging:Metrics</c> configuration section.</summary>
public sealed class MessagingMetricsOptions
{
    /// <summary>Outbox backlog and oldest-row age: one COUNT and one MIN (on the DueTime index) per interval.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Inbox size: a COUNT over every message consumed within the duplicate-detection window, which at full load is
    /// millions of rows, so it runs less often. The inbox cleanup runs every minute anyway.
    /// </summary>
    public TimeSpan InboxSampleInterval { get; set; } = TimeSpan.FromMinutes(1);
}

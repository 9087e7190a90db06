using System.Runtime.CompilerServices;
using MassTransit;
using Shop.Messaging.Outbox;
using Shop.Messaging.Retry;

namespace Shop.Messaging.Configuration;

/// <summary>
/// The standard policy of a Shop receive endpoint — retry (<see cref="UseShopRetry"/>) and one transaction per message
/// with inbox and outbox (<see cref="UseShopOutbox"/>). <c>AddShopMessaging</c> gives it to EVERY endpoint that
/// <c>ConfigureEndpoints</c> creates, before any consumer or saga is added to it, so a consumer registered without a
/// definition still runs with it; a definition only adjusts it. An endpoint goes without it only when named in
/// <see cref="EndpointPolicyOptions.WithoutStandardPolicy"/>.
/// </summary>
public static class EndpointPolicyExtensions
{
    // Per endpoint being configured: the retry options the standard policy reads when MassTransit builds each message's
    // pipe (after every definition ran), so a definition's UseShopRetry(configure) still shapes it.
    static readonly ConditionalWeakTable<IReceiveEndpointConfigurator, RetryPolicyOptions> StandardPolicy = new();

    // Likewise the outbox options, read by the outbox filter when the first message arrives.
    static readonly ConditionalWeakTable<IReceiveEndpointConfigurator, OutboxEndpointOptions> OutboxPolicy = new();

    /// <summary>Gives the endpoint the standard policy, once; called for every endpoint by <c>AddShopMessaging</c>.</summary>
    internal static void UseShopStandardPolicy(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        if (StandardPolicy.TryGetValue(endpoint, out _))
            return;

        var options = new RetryPolicyOptions();
        StandardPolicy.Add(endpoint, options);
        ConnectRetry(endpoint, context, () => options);
        ConnectOutbox(endpoint, context, new OutboxEndpointOptions());
    }

    /// <summary>True when the endpoint runs with the standard policy (retry, inbox, outbox).</summary>
    public static bool HasShopStandardPolicy(this IReceiveEndpointConfigurator endpoint) => StandardPolicy.TryGetValue(endpoint, out _);

    /// <summary>
    /// Retries transient faults at once (exponential intervals), then redelivers durably after the configured delays
    /// (through the outbox, surviving restarts), then lets MassTransit move the message to <c>_error</c> with the fault
    /// in its headers. <see cref="PermanentMessageFailureException"/> skips straight to <c>_error</c>. On an endpoint with
    /// the standard policy this only adjusts its retry options.
    /// </summary>
    public static void UseShopRetry(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context,
        Action<RetryPolicyOptions>? configure = null)
    {
        if (StandardPolicy.TryGetValue(endpoint, out var standard))
        {
            configure?.Invoke(standard);
            return;
        }

        var options = new RetryPolicyOptions();
        configure?.Invoke(options);
        ConnectRetry(endpoint, context, () => options);
    }

    /// <summary>
    /// Runs every consumer and saga on this endpoint as one database transaction with an inbox (duplicates have no
    /// effect) and an outbox (messages reach the broker only after commit). Already part of the standard policy; on such
    /// an endpoint this only adjusts its options.
    /// </summary>
    public static void UseShopOutbox(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context,
        Action<OutboxEndpointOptions>? configure = null)
    {
        if (OutboxPolicy.TryGetValue(endpoint, out var existing))
        {
            configure?.Invoke(existing);
            return;
        }

        var options = new OutboxEndpointOptions();
        configure?.Invoke(options);
        ConnectOutbox(endpoint, context, options);
    }

    // The order matters: the durable redelivery must wrap the outbox's transaction (a failed attempt rolls back its inbox
    // claim before the redelivery is stored), so its observer is connected first.
    static void ConnectRetry(IReceiveEndpointConfigurator endpoint, IRegistrationContext context, Func<RetryPolicyOptions> options)
    {
        _ = new DurableRedeliveryConfigurationObserver(endpoint, context, redelivery =>
        {
            var redeliveries = options().Redeliveries;
            if (redeliveries.Length == 0)
            {
                redelivery.None();
                return;
            }

            redelivery.Intervals(redeliveries);
            redelivery.Ignore<PermanentMessageFailureException>();
        });

        endpoint.UseMessageRetry(retry =>
        {
            var current = options();
            if (current.ImmediateRetries <= 0)
            {
                retry.None();
                return;
            }

            retry.Exponential(current.ImmediateRetries, current.MinInterval, current.MaxInterval, current.IntervalDelta);
            retry.Handle<Exception>(exception => TransientFaults.IsTransient(exception) || current.AlsoTransient?.Invoke(exception) == true);
        });
        // A lost insert race is retried once; a unique violation that recurs is not transient (see TransientFaults).
        endpoint.UseMessageRetry(retry =>
        {
            if (options().ImmediateRetries <= 0)
            {
                retry.None();
                return;
            }

            retry.Immediate(TransientFaults.UniqueViolationRetries);
            retry.Handle<Exception>(TransientFaults.IsUniqueViolationRace);
        });
    }

    static void ConnectOutbox(IReceiveEndpointConfigurator endpoint, IRegistrationContext context, OutboxEndpointOptions options)
    {
        OutboxPolicy.Add(endpoint, options);
        var observer = new TransactionalOutboxObserver(endpoint, context, options);
        endpoint.ConnectConsumerConfigurationObserver(observer);
        endpoint.ConnectSagaConfigurationObserver(observer);
    }
}

/// <summary>How the outbox of one endpoint runs; set in a consumer definition through <c>UseShopOutbox(context, configure)</c>.</summary>
public sealed class OutboxEndpointOptions
{
    /// <summary>
    /// Whether each message is claimed in the inbox first (default). Turn it off only for a consumer whose first statement
    /// is itself a claim by the message id — an insert keyed on it that a copy already consumed leaves untouched and a
    /// concurrent copy waits on (Analytics' event log): the inbox row would be a second record of the same fact, one more
    /// round trip per message and one more row to clean up.
    /// </summary>
    public bool ClaimInbox { get; set; } = true;
}

/// <summary>Endpoints that run without the standard policy. Configure with <c>services.Configure&lt;EndpointPolicyOptions&gt;</c>.</summary>
public sealed class EndpointPolicyOptions
{
    /// <summary>
    /// Queue names whose consumers run without retry, inbox and outbox — for a consumer that must see every copy of a
    /// message (a test probe) or owns no database. Every other endpoint gets the standard policy.
    /// </summary>
    public ISet<string> WithoutStandardPolicy { get; } = new HashSet<string>(StringComparer.Ordinal);
}

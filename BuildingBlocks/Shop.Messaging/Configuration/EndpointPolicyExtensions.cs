using MassTransit;
using Shop.Messaging.Outbox;
using Shop.Messaging.Retry;

namespace Shop.Messaging.Configuration;

/// <summary>What a consumer or saga definition calls to set its endpoint's policy.</summary>
public static class EndpointPolicyExtensions
{
    /// <summary>
    /// Retries transient faults at once (exponential intervals), then redelivers durably after the configured delays
    /// (through the outbox, surviving restarts), then lets MassTransit move the message to <c>_error</c> with the fault
    /// in its headers. <see cref="PermanentMessageFailureException"/> skips straight to <c>_error</c>.
    /// </summary>
    public static void UseShopRetry(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context,
        Action<RetryPolicyOptions>? configure = null)
    {
        var options = new RetryPolicyOptions();
        configure?.Invoke(options);

        if (options.Redeliveries.Length > 0)
        {
            _ = new DurableRedeliveryConfigurationObserver(endpoint, context, redelivery =>
            {
                redelivery.Intervals(options.Redeliveries);
                redelivery.Ignore<PermanentMessageFailureException>();
            });
        }

        if (options.ImmediateRetries > 0)
        {
            endpoint.UseMessageRetry(retry =>
            {
                retry.Exponential(options.ImmediateRetries, options.MinInterval, options.MaxInterval, options.IntervalDelta);
                retry.Handle<Exception>(exception => TransientFaults.IsTransient(exception) || options.AlsoTransient?.Invoke(exception) == true);
            });
            // A lost insert race is retried once; a unique violation that recurs is not transient (see TransientFaults).
            endpoint.UseMessageRetry(retry =>
            {
                retry.Immediate(TransientFaults.UniqueViolationRetries);
                retry.Handle<Exception>(TransientFaults.IsUniqueViolationRace);
            });
        }
    }

    /// <summary>
    /// Runs every consumer and saga on this endpoint as one database transaction with an inbox (duplicates have no
    /// effect) and an outbox (messages reach the broker only after commit).
    /// </summary>
    public static void UseShopOutbox(this IReceiveEndpointConfigurator endpoint, IRegistrationContext context)
    {
        var observer = new TransactionalOutboxObserver(endpoint, context);
        endpoint.ConnectConsumerConfigurationObserver(observer);
        endpoint.ConnectSagaConfigurationObserver(observer);
    }
}

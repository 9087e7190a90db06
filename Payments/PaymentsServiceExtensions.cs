using MassTransit;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Shop.Contracts;
using Shop.Data;
using Shop.Messaging.Configuration;
using Shop.Messaging.Signing;
using Shop.Payments.Consumers;
using Shop.Payments.Data;
using Shop.Payments.Gateways;
using Shop.Payments.Settlement;
using Shop.ServiceDefaults;

namespace Shop.Payments;

public static class PaymentsServiceExtensions
{
    public static WebApplicationBuilder AddPaymentsServices(this WebApplicationBuilder builder)
    {
        builder.AddShopDbContext<PaymentsDbContext, PaymentsPostgresDbContext, PaymentsSqlServerDbContext>("Payments");
        builder.Services.AddOptions<PaymentsOptions>().BindConfiguration(PaymentsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.AddPaymentProvider();

        builder.Services.AddSingleton<PaymentsMetrics>();
        builder.Services.AddSingleton<PaymentSettler>();
        builder.Services.AddSingleton<SettlementService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SettlementService>());

        builder.Services.AddMessageSenders(MessageSenders.All, MessageConsumers.All);
        builder.Services.AddShopMessaging<PaymentsDbContext>(builder.Configuration, bus =>
        {
            bus.AddConsumer<ChargePaymentConsumer, ShopConsumerDefinition<ChargePaymentConsumer>>();
            bus.AddConsumer<RefundPaymentConsumer, ShopConsumerDefinition<RefundPaymentConsumer>>();
        });
        return builder;
    }

    /// <summary>
    /// The provider's typed client. Transient failures (5xx such as processing_error, a refused connection) are retried
    /// with backoff — safe, as every call carries its idempotency key; a timed-out attempt is not retried, its outcome is
    /// looked up instead (a provider that holds a request would hold the retry too).
    /// </summary>
    static void AddPaymentProvider(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<PaymentProviderOptions>().BindConfiguration(PaymentProviderOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHttpClient<PaymentProviderClient>((services, http) =>
                http.BaseAddress = services.GetRequiredService<IOptions<PaymentProviderOptions>>().Value.BaseUrl)
            .AddResilienceHandler("payment-provider", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<PaymentProviderOptions>>().Value;
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = Math.Max(options.Retries, 1),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(100),
                    ShouldHandle = attempt => ValueTask.FromResult(options.Retries > 0
                        && attempt.Outcome.Exception is not TimeoutRejectedException
                        && HttpClientResiliencePredicates.IsTransient(attempt.Outcome)),
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            });
    }
}

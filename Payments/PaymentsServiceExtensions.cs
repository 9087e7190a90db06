using System.Net.Http.Headers;
using MassTransit;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Shop.Contracts;
using Shop.Data;
using Shop.Messaging.Configuration;
using Shop.Messaging.PaymentTokens;
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
        builder.Services.AddPaymentTokenOpener();

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
        var development = builder.Environment.IsDevelopment();
        builder.Services.AddOptions<PaymentProviderOptions>().BindConfiguration(PaymentProviderOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        // The key's file is read once, before validation, not each time a client is created (every charge).
        builder.Services.PostConfigure<PaymentProviderOptions>(options => options.ApiKey = SecretSetting.Resolve(options.ApiKey, options.ApiKeyFile));
        builder.Services.AddSingleton<IValidateOptions<PaymentProviderOptions>>(new ProviderOptionsCheck(development));
        builder.Services.AddHttpClient<PaymentProviderClient>((services, http) =>
            {
                var options = services.GetRequiredService<IOptions<PaymentProviderOptions>>().Value;
                http.BaseAddress = options.BaseUrl;
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
            })
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

    /// <summary>Names what is wrong with the provider's settings at start-up (the API key, https).</summary>
    sealed class ProviderOptionsCheck(bool development) : IValidateOptions<PaymentProviderOptions>
    {
        public ValidateOptionsResult Validate(string? name, PaymentProviderOptions options) =>
            options.Problem(development) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}

using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Messaging.Delivery;
using Shop.PaymentProvider.Data;
using Shop.ServiceDefaults;

namespace Shop.PaymentProvider;

public static class PaymentProviderServiceExtensions
{
    public static WebApplicationBuilder AddPaymentProviderServices(this WebApplicationBuilder builder)
    {
        // AddShopDbContext attaches the outbox commit interceptor (UseShopOutboxSignals), which AddShopMessaging registers
        // in a service. The simulator has no bus and no outbox tables, so the interceptor never fires; registering it here
        // keeps the shared database wiring (pooling, health check, migrations at start-up) without touching BuildingBlocks.
        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.TryAddSingleton<OutboxCommitInterceptor>();
        builder.AddShopDbContext<ProviderDbContext, ProviderPostgresDbContext, ProviderSqlServerDbContext>("PaymentProvider");

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ProviderOptions>().Bind(builder.Configuration.GetSection(ProviderOptions.Section));
        return builder;
    }
}

using MassTransit;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Shop.Contracts;
using Shop.Data;
using Shop.Messaging.Configuration;
using Shop.Messaging.PaymentTokens;
using Shop.Messaging.Routing;
using Shop.Messaging.Sagas;
using Shop.Messaging.Signing;
using Shop.Orders.Apis;
using Shop.Orders.Consumers;
using Shop.Orders.Data;
using Shop.Orders.Diagnostics;
using Shop.Orders.Saga;
using Shop.ServiceDefaults;

namespace Shop.Orders;

public static class OrdersServiceExtensions
{
    /// <summary>Everything Orders runs on: its database, the bus with the order saga, its options and metrics.</summary>
    public static WebApplicationBuilder AddOrdersServices(this WebApplicationBuilder builder)
    {
        builder.AddShopDbContext<OrdersDbContext, OrdersPostgresDbContext, OrdersSqlServerDbContext>("Orders");
        builder.Services.AddOptions<OrdersOptions>()
            .Bind(builder.Configuration.GetSection(OrdersOptions.Section))
            .Validate(options => options.PaymentTimeout > TimeSpan.Zero, "Orders:PaymentTimeout must be positive.")
            .Validate(options => options.Deadlines.StockReservation > TimeSpan.Zero, "Orders:Deadlines:StockReservation must be positive.")
            .Validate(options => options.Deadlines.Shipment > TimeSpan.Zero, "Orders:Deadlines:Shipment must be positive.")
            .Validate(options => options.Deadlines.Compensation > TimeSpan.Zero, "Orders:Deadlines:Compensation must be positive.")
            .Validate(options => options.DeadlinePollInterval > TimeSpan.Zero, "Orders:DeadlinePollInterval must be positive.")
            .Validate(options => options.StuckAfter > TimeSpan.Zero, "Orders:StuckAfter must be positive.")
            .Validate(options => options.StuckSampleInterval > TimeSpan.Zero, "Orders:StuckSampleInterval must be positive.")
            .Validate(options => options.RateLimits.Submit is { PermitLimit: > 0, Window.Ticks: > 0 } && options.RateLimits.Cancel is { PermitLimit: > 0, Window.Ticks: > 0 },
                "Orders:RateLimits:Submit and :Cancel need a positive PermitLimit and Window.")
            .ValidateOnStart();
        builder.Services.AddSingleton<OrderMetrics>();
        builder.Services.AddOrderRateLimits();
        // Stuck orders in plain sight: gauges per state, and /health/ready Degraded (still HTTP 200) while any is stuck.
        builder.Services.AddHostedService<OpenOrdersSampler>();
        builder.Services.AddHealthChecks().AddCheck<StuckOrdersHealthCheck>(StuckOrdersHealthCheck.Name, HealthStatus.Degraded);
        builder.Services.AddScoped<IPaymentTokenSource, OrderRowPaymentTokens>();
        builder.Services.AddPaymentTokenSealer();
        builder.Services.AddMessageSenders(MessageSenders.All, MessageConsumers.All);
        builder.Services.AddSagaStateAliases<OrderState>(FormerStateNames.Map);
        builder.Services.AddRoutingHeaders(MessageRoutes.Headers, MessageRoutes.HeaderOf);
        builder.Services.AddShopMessaging<OrdersDbContext>(builder.Configuration, bus =>
        {
            bus.AddSagaStateMachine<OrderStateMachine, OrderState, OrderStateDefinition>();
            bus.AddConsumer<ProductUpdatedConsumer, ProductUpdatedConsumerDefinition>();
        });
        // After the bus (hosted services start in registration order).
        builder.Services.AddHostedService<PriceListBootstrap>();
        builder.Services.AddSingleton<OrderDeadlinePoller>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<OrderDeadlinePoller>());
        return builder;
    }
}

using MassTransit;
using Shop.Messaging.Configuration;
using Shop.Orders.Data;
using Shop.Orders.Domain;
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
            .ValidateOnStart();
        builder.Services.AddSingleton<OrderMetrics>();
        builder.Services.AddShopMessaging<OrdersDbContext>(builder.Configuration,
            bus => bus.AddSagaStateMachine<OrderStateMachine, OrderState, OrderStateDefinition>());
        return builder;
    }
}

using MassTransit;
using Shop.Analytics.Consumers;
using Shop.Analytics.Data;
using Shop.Analytics.Projections;
using Shop.Contracts;
using Shop.Data;
using Shop.Messaging.Configuration;
using Shop.Messaging.Signing;

namespace Shop.Analytics;

public static class AnalyticsServiceExtensions
{
    public static WebApplicationBuilder AddAnalyticsServices(this WebApplicationBuilder builder)
    {
        builder.AddShopDbContext<AnalyticsDbContext, AnalyticsPostgresDbContext, AnalyticsSqlServerDbContext>("Analytics");
        builder.Services.AddSingleton<AnalyticsMetrics>();
        builder.Services.AddScoped<OrderProjector>();
        builder.Services.AddScoped<AnalyticsViews>();
        builder.Services.AddSingleton<EventImporter>();
        builder.Services.AddSingleton<ProjectionRebuilder>();
        builder.Services.AddHostedService<ProjectionMaintenance>();
        builder.Services.AddMessageSenders(MessageSenders.All, MessageConsumers.All);
        builder.Services.AddShopMessaging<AnalyticsDbContext>(builder.Configuration, bus =>
        {
            bus.AddConsumer<OrderEventsConsumer, OrderEventsConsumerDefinition>();
            bus.AddConsumer<OperationsAlertConsumer, OperationsAlertConsumerDefinition>();
        });
        return builder;
    }
}

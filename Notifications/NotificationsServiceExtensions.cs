using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Contracts;
using Shop.Data;
using Shop.Messaging.Configuration;
using Shop.Messaging.Signing;
using Shop.Notifications.Consumers;
using Shop.Notifications.Data;
using Shop.Notifications.Gateways;
using Shop.ServiceDefaults;

namespace Shop.Notifications;

public static class NotificationsServiceExtensions
{
    public static WebApplicationBuilder AddNotificationsServices(this WebApplicationBuilder builder)
    {
        builder.AddShopDbContext<NotificationsDbContext, NotificationsPostgresDbContext, NotificationsSqlServerDbContext>("Notifications");
        // TryAdd: a sender registered before (a test's recording one) takes its place.
        builder.Services.TryAddSingleton<INotificationSender, LoggingNotificationSender>();
        builder.Services.AddMessageSenders(MessageSenders.All, MessageConsumers.All);
        builder.Services.AddShopMessaging<NotificationsDbContext>(builder.Configuration, bus =>
        {
            bus.AddConsumer<OrderCompletedConsumer, OrderCompletedConsumerDefinition>();
            bus.AddConsumer<OrderCancelledConsumer, OrderCancelledConsumerDefinition>();
        });
        return builder;
    }
}

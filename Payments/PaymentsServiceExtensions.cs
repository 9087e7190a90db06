using MassTransit;
using Shop.Messaging.Configuration;
using Shop.Payments.Consumers;
using Shop.Payments.Data;
using Shop.Payments.Domain;
using Shop.ServiceDefaults;

namespace Shop.Payments;

public static class PaymentsServiceExtensions
{
    public static WebApplicationBuilder AddPaymentsServices(this WebApplicationBuilder builder)
    {
        builder.AddShopDbContext<PaymentsDbContext, PaymentsPostgresDbContext, PaymentsSqlServerDbContext>("Payments");
        builder.Services.AddSingleton<IPaymentGateway, FakePaymentGateway>();
        builder.Services.AddShopMessaging<PaymentsDbContext>(builder.Configuration, bus =>
        {
            bus.AddConsumer<ChargePaymentConsumer, ChargePaymentConsumerDefinition>();
            bus.AddConsumer<RefundPaymentConsumer, RefundPaymentConsumerDefinition>();
        });
        return builder;
    }
}

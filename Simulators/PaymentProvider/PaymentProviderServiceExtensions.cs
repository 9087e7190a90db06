using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Data;
using Shop.PaymentProvider.Data;
using Shop.ServiceDefaults;

namespace Shop.PaymentProvider;

public static class PaymentProviderServiceExtensions
{
    public static WebApplicationBuilder AddPaymentProviderServices(this WebApplicationBuilder builder)
    {
        builder.AddShopDbContext<ProviderDbContext, ProviderPostgresDbContext, ProviderSqlServerDbContext>("PaymentProvider");

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ProviderOptions>().Bind(builder.Configuration.GetSection(ProviderOptions.Section));
        return builder;
    }
}

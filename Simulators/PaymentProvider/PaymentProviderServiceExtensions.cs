using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shop.Data;
using Shop.PaymentProvider.Apis;
using Shop.PaymentProvider.Data;
using Shop.ServiceDefaults;

namespace Shop.PaymentProvider;

public static class PaymentProviderServiceExtensions
{
    public static WebApplicationBuilder AddPaymentProviderServices(this WebApplicationBuilder builder)
    {
        builder.AddShopDbContext<ProviderDbContext, ProviderPostgresDbContext, ProviderSqlServerDbContext>("PaymentProvider");

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddOptions<ProviderOptions>().Bind(builder.Configuration.GetSection(ProviderOptions.Section))
            // The keys are read and checked at start-up: a simulator without a merchant key does not start.
            .Validate(options =>
            {
                _ = new MerchantKeys(Options.Create(options));
                return true;
            })
            .ValidateOnStart();
        builder.Services.AddSingleton<MerchantKeys>();
        return builder;
    }
}

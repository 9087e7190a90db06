using Shop.PaymentProvider.Apis;
using Shop.ServiceDefaults;

namespace Shop.PaymentProvider;

/// <summary>
/// The payment-provider simulator, built in one place: its Program.cs and the tests' in-process services
/// (<c>InProcessService</c> in tests/Shop.Testing) both call <see cref="Build"/>, so a test runs the same wiring as
/// production.
/// </summary>
public static class PaymentProviderApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        // An outside party's stand-in: it checks no tokens of ours, only its merchants' API keys (ApiKeyFilter).
        builder.AddServiceDefaults(identities: false);
        builder.AddPaymentProviderServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapPaymentProviderApi();
        return app;
    }
}

using Shop.ServiceDefaults;
using Shop.Shipping.Apis;

namespace Shop.Shipping;

/// <summary>
/// The Shipping service, built in one place: its Program.cs and the tests' in-process services (<c>InProcessService</c>
/// in tests/Shop.Testing) both call <see cref="Build"/>, so a test runs the same wiring as production.
/// </summary>
public static class ShippingApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddShippingServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapShippingApi();
        return app;
    }
}

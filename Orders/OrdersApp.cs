using Shop.Orders.Apis;
using Shop.ServiceDefaults;

namespace Shop.Orders;

/// <summary>
/// The Orders service, built in one place: its Program.cs and the tests' in-process services (<c>InProcessService</c>
/// in tests/Shop.Testing) both call <see cref="Build"/>, so a test runs the same wiring as production.
/// </summary>
public static class OrdersApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddOrdersServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapOrdersApi();
        app.MapOperatorActionsApi();
        return app;
    }
}

using Shop.Inventory.Apis;
using Shop.ServiceDefaults;

namespace Shop.Inventory;

/// <summary>
/// The Inventory service, built in one place: its Program.cs and the tests' in-process services
/// (<c>InProcessService</c> in tests/Shop.Testing) both call <see cref="Build"/>, so a test runs the same wiring as
/// production.
/// </summary>
public static class InventoryApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddInventoryServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapInventoryApi();
        return app;
    }
}

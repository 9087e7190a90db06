using Shop.Payments.Apis;
using Shop.ServiceDefaults;

namespace Shop.Payments;

/// <summary>
/// The Payments service, built in one place: its Program.cs and the tests' in-process services (<c>InProcessService</c>
/// in tests/Shop.Testing) both call <see cref="Build"/>, so a test runs the same wiring as production.
/// </summary>
public static class PaymentsApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddPaymentsServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapPaymentsApi();
        return app;
    }
}

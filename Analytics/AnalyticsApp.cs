using Shop.Analytics.Apis;
using Shop.ServiceDefaults;

namespace Shop.Analytics;

/// <summary>
/// The Analytics service, built in one place: its Program.cs and the tests' in-process services both call
/// <see cref="Build"/>, so a test runs the same wiring as production.
/// </summary>
public static class AnalyticsApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddAnalyticsServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapAnalyticsApi();
        return app;
    }
}

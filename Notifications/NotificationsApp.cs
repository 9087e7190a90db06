using Shop.Notifications.Apis;
using Shop.ServiceDefaults;

namespace Shop.Notifications;

/// <summary>
/// The Notifications service, built in one place: its Program.cs and the tests' in-process services
/// (<c>InProcessService</c> in tests/Shop.Testing) both call <see cref="Build"/>, so a test runs the same wiring as
/// production.
/// </summary>
public static class NotificationsApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddNotificationsServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapNotificationsApi();
        return app;
    }
}

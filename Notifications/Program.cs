using Shop.Notifications;

// The wiring is in NotificationsApp, which the tests host as well.
NotificationsApp.Build(WebApplication.CreateBuilder(args)).Run();

using Shop.Data;
using Shop.Notifications;

// The wiring is in NotificationsApp, which the tests host as well. With --migrate it applies its database migrations as the
// migration identity and exits instead (docs/operations.md#migrations).
return await NotificationsApp.Build(WebApplication.CreateBuilder(args)).RunOrMigrateAsync();

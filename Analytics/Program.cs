using Shop.Analytics;
using Shop.Data;

// The wiring is in AnalyticsApp, which the tests host as well. With --migrate it applies its database migrations as the
// migration identity and exits instead (docs/operations.md#migrations).
return await AnalyticsApp.Build(WebApplication.CreateBuilder(args)).RunOrMigrateAsync();

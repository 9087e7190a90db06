using Shop.Data;
using Shop.Payments;

// The wiring is in PaymentsApp, which the tests host as well. With --migrate it applies its database migrations as the
// migration identity and exits instead (docs/operations.md#migrations).
return await PaymentsApp.Build(WebApplication.CreateBuilder(args)).RunOrMigrateAsync();

using Shop.Data;
using Shop.PaymentProvider;

// The wiring is in PaymentProviderApp, which the tests host as well. With --migrate it applies its database migrations as the
// migration identity and exits instead (docs/operations.md#migrations).
return await PaymentProviderApp.Build(WebApplication.CreateBuilder(args)).RunOrMigrateAsync();

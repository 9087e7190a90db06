using Shop.Data;
using Shop.Shipping;

// The wiring is in ShippingApp, which the tests host as well. With --migrate it applies its database migrations as the
// migration identity and exits instead (docs/operations.md#migrations).
return await ShippingApp.Build(WebApplication.CreateBuilder(args)).RunOrMigrateAsync();

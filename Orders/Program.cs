using Shop.Data;
using Shop.Orders;

// The wiring is in OrdersApp, which the tests host as well. With --migrate it applies its database migrations as the
// migration identity and exits instead (docs/operations.md#migrations).
return await OrdersApp.Build(WebApplication.CreateBuilder(args)).RunOrMigrateAsync();

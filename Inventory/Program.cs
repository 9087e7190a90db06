using Shop.Data;
using Shop.Inventory;

// The wiring is in InventoryApp, which the tests host as well. With --migrate it applies its database migrations as the
// migration identity and exits instead (docs/operations.md#migrations).
return await InventoryApp.Build(WebApplication.CreateBuilder(args)).RunOrMigrateAsync();

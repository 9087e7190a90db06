using Shop.Inventory;

// The wiring is in InventoryApp, which the tests host as well.
InventoryApp.Build(WebApplication.CreateBuilder(args)).Run();

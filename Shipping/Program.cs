using Shop.Shipping;

// The wiring is in ShippingApp, which the tests host as well.
ShippingApp.Build(WebApplication.CreateBuilder(args)).Run();

using Shop.Orders;

// The wiring is in OrdersApp, which the tests host as well.
OrdersApp.Build(WebApplication.CreateBuilder(args)).Run();

using Shop.Payments;

// The wiring is in PaymentsApp, which the tests host as well.
PaymentsApp.Build(WebApplication.CreateBuilder(args)).Run();

using Shop.PaymentProvider;

// The wiring is in PaymentProviderApp, which the tests host as well.
PaymentProviderApp.Build(WebApplication.CreateBuilder(args)).Run();

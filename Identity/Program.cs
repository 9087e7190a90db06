using Shop.Identity;

// The wiring is in IdentityApp, which the tests host as well.
IdentityApp.Build(WebApplication.CreateBuilder(args)).Run();

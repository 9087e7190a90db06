using Shop.Analytics;

// The wiring is in AnalyticsApp, which the tests host as well.
AnalyticsApp.Build(WebApplication.CreateBuilder(args)).Run();

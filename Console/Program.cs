using Shop.Console;

// The wiring is in ConsoleApp, which the browser tests host as well. No --migrate: the console has no database of its own.
await ConsoleApp.Build(WebApplication.CreateBuilder(args)).RunAsync();

using Shop.Console;
using Shop.Data;

// The wiring is in ConsoleApp, which the browser tests host as well. With --migrate it applies the migrations of its own
// database (the audit of operator actions) as the migration identity and exits instead (docs/operations.md#migrations).
return await ConsoleApp.Build(WebApplication.CreateBuilder(args)).RunOrMigrateAsync();

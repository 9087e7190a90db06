using Shop.Data;
using Shop.Identity;

// The wiring is in IdentityApp, which the tests host as well. With --migrate it applies its database migrations as the
// migration identity and exits instead (docs/operations.md#migrations).
return await IdentityApp.Build(WebApplication.CreateBuilder(args)).RunOrMigrateAsync();

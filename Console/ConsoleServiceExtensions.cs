using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Console.Audit;
using Shop.Console.Auth;
using Shop.Console.Broker;
using Shop.Console.Data;
using Shop.Console.Diagram;
using Shop.Data;
using Shop.ServiceDefaults;

namespace Shop.Console;

public static class ConsoleServiceExtensions
{
    public static WebApplicationBuilder AddConsoleServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConsoleOptions>()
            .Bind(builder.Configuration.GetSection(ConsoleOptions.Section))
            .Validate(x => x.StuckAfter > TimeSpan.Zero, "Console:StuckAfter must be positive.")
            .Validate(x => x.RefreshInterval >= TimeSpan.FromSeconds(1), "Console:RefreshInterval must be at least a second.")
            .Validate(x => !string.IsNullOrWhiteSpace(x.ClientId), "Console:ClientId is required.")
            .ValidateOnStart();

        builder.AddConsoleSignIn();
        builder.Services.AddAntiforgery(antiforgery =>
        {
            // Cookies are not isolated by port on 127.0.0.1: a name of its own, beside Identity's.
            antiforgery.Cookie.Name = "Shop.Console.Antiforgery";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddRazorPages();

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ => OrderSagaDiagram.Create());
        builder.Services.AddSingleton<ConsoleDatabases>();
        builder.Services.AddScoped<OrdersQueries>();
        builder.Services.AddScoped<OutboxQueries>();
        builder.Services.AddScoped<RecordQueries>();
        builder.Services.AddHttpClient<ErrorQueues>();
        builder.Services.AddHttpClient<ProviderRecords>(http => http.Timeout = TimeSpan.FromSeconds(5));
        // The provider key's file is read once, not on every order page.
        builder.Services.PostConfigure<ConsoleOptions>(options =>
            options.PaymentProviderKey = SecretSetting.Resolve(options.PaymentProviderKey, options.PaymentProviderKeyFile));

        // Re-drive and discard (shop-admin's operations) and their audit in the console's own database.
        builder.AddShopDbContext<ConsoleDbContext, ConsolePostgresDbContext, ConsoleSqlServerDbContext>("Console");
        builder.Services.AddSingleton<DeadLetterActions>();
        builder.Services.AddScoped<OperatorActionLog>();
        builder.Services.AddHttpClient<OrderTimelineWriter>();
        return builder;
    }
}

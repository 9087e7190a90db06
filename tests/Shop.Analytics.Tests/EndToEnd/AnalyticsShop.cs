using Shop.Testing;

namespace Shop.Analytics.Tests.EndToEnd;

/// <summary>
/// The whole shop in-process (<see cref="ShopStack"/>) with Analytics beside it on a database of its own and the shop's
/// virtual host, started before any order so that its queue exists when the first event is published. Every service,
/// Analytics included, runs as its own broker user and database role.
/// </summary>
public sealed class AnalyticsShop() : ShopStack(new ShopStackOptions { Name = "analytics", Customer = "customer-analytics", AsServiceUsers = true }),
    IAsyncLifetime
{
    TestDatabase? _database;
    InProcessService? _analytics;

    public HttpClient Analytics => _analytics!.Http;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _database = await TestDatabase.CreateAsync("shop_analytics_e2e");
        // As its own broker user and database role, with the rights the scripts give them (least privilege).
        _analytics = await InProcessService.StartAsync("Analytics", _database, VirtualHost, AnalyticsApp.Build,
            await ServiceUsers.SettingsForAsync("Analytics", _database));
        await AnalyticsService.WaitForProjectionsAsync(Analytics);
    }

    public override async Task DisposeAsync()
    {
        if (_analytics is not null)
            await _analytics.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
        await base.DisposeAsync();
    }
}

using Microsoft.Extensions.Options;
using Shop.Messaging.Configuration;
using Shop.Orders;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.EndToEnd.Tests.Privileges;

/// <summary>
/// Outside Development (these hosts run as "Testing") a service given no broker or database credential stops at
/// start-up with a message naming the setting: nothing falls back to a shared default user.
/// </summary>
public sealed class When_a_credential_is_missing : IAsyncLifetime
{
    TestDatabase _database = null!;
    TestVirtualHost _virtualHost = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("shop_missing_credential");
        _virtualHost = await TestVirtualHost.CreateAsync("shop-missing-credential");
    }

    public async Task DisposeAsync()
    {
        await _virtualHost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData("RabbitMq:Username", RabbitMqOptionsValidation.MissingUsername)]
    [InlineData("RabbitMq:Password", RabbitMqOptionsValidation.MissingPassword)]
    public async Task Should_stop_at_start_up_without_a_broker_credential(string setting, string message)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => StartOrdersAsync(new() { [setting] = "" }));

        Assert.Contains(message, exception.Message);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=shop_orders;Password=secret", "ConnectionStrings:Orders has no user")]
    [InlineData("Host=127.0.0.1;Database=shop_orders;Username=shop_orders", "ConnectionStrings:Orders has no password")]
    public async Task Should_stop_at_start_up_without_a_database_credential(string connectionString, string message)
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StartOrdersAsync(new() { ["ConnectionStrings:Orders"] = connectionString }));

        Assert.StartsWith(message, exception.Message);
    }

    [Fact]
    public async Task Should_start_with_both_given()
    {
        await using var orders = await StartOrdersAsync([]);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await orders.Http.GetAsync("/health/live")).StatusCode);
    }

    Task<InProcessService> StartOrdersAsync(Dictionary<string, string?> settings) =>
        InProcessService.StartAsync("Orders", _database, _virtualHost, b => b.AddOrdersServices(), a => a.MapOrdersApi(), settings);
}

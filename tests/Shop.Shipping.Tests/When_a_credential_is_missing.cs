using Microsoft.Extensions.Options;
using Shop.Messaging.Configuration;
using Shop.Testing;

namespace Shop.Shipping.Tests;

/// <summary>
/// Outside Development (these hosts run as "Testing") a service (Shipping here; the check is in the building blocks every service uses) given no broker or database credential stops at
/// start-up with a message naming the setting: nothing falls back to a shared default user.
/// </summary>
public sealed class When_a_credential_is_missing() : DatabaseAndVirtualHost("shop_missing_credential"), IAsyncLifetime
{
    [Theory]
    [InlineData("RabbitMq:Username", RabbitMqOptionsValidation.MissingUsername)]
    [InlineData("RabbitMq:Password", RabbitMqOptionsValidation.MissingPassword)]
    public async Task Should_stop_at_start_up_without_a_broker_credential(string setting, string message)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => StartShippingAsync(new() { [setting] = "" }));

        Assert.Contains(message, exception.Message);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=shop_shipping;Password=secret", "ConnectionStrings:Shipping has no user")]
    [InlineData("Host=127.0.0.1;Database=shop_shipping;Username=shop_shipping", "ConnectionStrings:Shipping has no password")]
    public async Task Should_stop_at_start_up_without_a_database_credential(string connectionString, string message)
    {
        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            StartShippingAsync(new() { ["ConnectionStrings:Shipping"] = connectionString }));

        Assert.StartsWith(message, exception.Message);
    }

    [Fact]
    public async Task Should_start_with_both_given()
    {
        await using var shipping = await StartShippingAsync([]);

        Assert.Equal(System.Net.HttpStatusCode.OK, (await shipping.Http.GetAsync("/health/live")).StatusCode);
    }

    Task<InProcessService> StartShippingAsync(Dictionary<string, string?> settings) =>
        InProcessService.StartAsync("Shipping", Database, VirtualHost, ShippingApp.Build, settings);
}

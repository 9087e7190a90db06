using Microsoft.Extensions.Options;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

/// <summary>Orders started as production starts it, without a way to check tokens: it must refuse to start.</summary>
public sealed class When_no_token_issuer_is_configured : IAsyncLifetime
{
    TestDatabase _database = null!;
    TestVirtualHost _virtualHost = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("shop_orders_noauth");
        _virtualHost = await TestVirtualHost.CreateAsync("shop-orders-noauth");
    }

    public async Task DisposeAsync()
    {
        await _virtualHost.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData(null, "Auth:Authority")]
    [InlineData("c2hvcnQ=", "at least 32")]
    public async Task Should_refuse_to_start_in_production(string? signingKey, string message)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => InProcessService.StartAsync("Orders", _database,
            _virtualHost, builder => builder.AddOrdersServices(), app => app.MapOrdersApi(),
            new Dictionary<string, string?> { ["Auth:SigningKey"] = signingKey, ["Auth:Authority"] = null }, environment: "Production"));

        Assert.Contains(message, exception.Message);
    }
}

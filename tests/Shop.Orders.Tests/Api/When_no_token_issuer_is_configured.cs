using Microsoft.Extensions.Options;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

/// <summary>Orders started as production starts it, without a way to check tokens: it must refuse to start.</summary>
public sealed class When_no_token_issuer_is_configured() : DatabaseAndVirtualHost("shop_orders_noauth"), IAsyncLifetime
{
    [Theory]
    [InlineData(null, "Auth:Authority")]
    [InlineData("c2hvcnQ=", "at least 32")]
    public async Task Should_refuse_to_start_in_production(string? signingKey, string message)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => InProcessService.StartAsync("Orders", Database,
            VirtualHost, OrdersApp.Build, new Dictionary<string, string?> { ["Auth:SigningKey"] = signingKey, ["Auth:Authority"] = null },
            environment: "Production"));

        Assert.Contains(message, exception.Message);
    }
}

using Microsoft.Extensions.Options;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

/// <summary>
/// Orders started as production starts it, without a provider to check tokens with, with the removed local signing key,
/// or with a plain-HTTP provider it was not told to accept: it must refuse to start.
/// </summary>
public sealed class When_no_token_issuer_is_configured() : DatabaseAndVirtualHost("shop_orders_noauth"), IAsyncLifetime
{
    [Theory]
    [InlineData(null, null, null, "Auth:Authority")]
    [InlineData("http://127.0.0.1:8088/", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "false", "Auth:SigningKey is no longer supported")]
    [InlineData(null, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", null, "Auth:SigningKey is no longer supported")]
    [InlineData("http://127.0.0.1:8088/", null, "true", "RequireHttpsMetadata")]
    public async Task Should_refuse_to_start_in_production(string? authority, string? signingKey, string? requireHttps, string message)
    {
        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => InProcessService.StartAsync("Orders", Database,
            VirtualHost, OrdersApp.Build, new Dictionary<string, string?>
            {
                ["Auth:Authority"] = authority,
                ["Auth:SigningKey"] = signingKey,
                ["Auth:RequireHttpsMetadata"] = requireHttps,
            },
            environment: "Production"));

        Assert.Contains(message, exception.Message);
    }
}

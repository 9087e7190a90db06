using System.Net;
using System.Text.Json;
using Shop.Testing;

namespace Shop.Shipping.Tests.Hosting;

/// <summary>
/// <c>/health/ready</c> answers anyone (probes carry no token) but tells anyone only the status: each check's
/// description names queues, counts and exception text, which only an operator's token reads (ServiceDefaults).
/// </summary>
[Collection(ShippingCollection.Name)]
public sealed class When_health_is_read(ShippingService shipping)
{
    [Theory]
    [InlineData("/health/ready", null)]
    [InlineData("/health/ready", "customer")]
    [InlineData("/health/live", null)]
    public async Task Should_tell_a_caller_without_an_operators_token_the_status_only(string path, string? role)
    {
        var client = shipping.ClientFor(role is null ? null : TestTokens.Customer("ada"));

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("checks", body);
        Assert.DoesNotContain("database", body);
        Assert.DoesNotContain("_error", body);
    }

    [Fact]
    public async Task Should_show_an_operator_each_check()
    {
        using var report = JsonDocument.Parse(await shipping.Http.GetStringAsync("/health/ready"));

        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        Assert.True(checks.TryGetProperty("error-queues", out _), report.RootElement.ToString());
    }
}

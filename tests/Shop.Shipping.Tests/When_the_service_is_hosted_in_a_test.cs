using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Shop.Shipping.Tests;

/// <summary>
/// An in-process service reads its own appsettings.json, as it does when it runs: a setting added there reaches the
/// tests. (The test's bin also holds the other services' files under the same name.)
/// </summary>
[Collection(ShippingCollection.Name)]
public sealed class When_the_service_is_hosted_in_a_test(ShippingService shipping)
{
    [Fact]
    public void Should_read_the_services_own_settings()
    {
        var environment = shipping.Services.GetRequiredService<IHostEnvironment>();
        var configuration = shipping.Services.GetRequiredService<IConfiguration>();

        Assert.Equal("Shipping", new DirectoryInfo(environment.ContentRootPath).Name);
        // Shipping/appsettings.json names the broker port; the payment-provider simulator's file, the one a test bin
        // used to be left with, has no broker at all.
        Assert.Equal("5672", configuration["RabbitMq:Port"]);
    }
}

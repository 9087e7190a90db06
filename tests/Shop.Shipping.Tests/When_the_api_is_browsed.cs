using System.Net;
using Shop.Testing;

namespace Shop.Shipping.Tests;

/// <summary>The interactive API reference (Scalar, over the OpenAPI document) is for people trying a service locally only.</summary>
public sealed class When_the_api_is_browsed() : DatabaseAndVirtualHost("shop_api_browsed"), IAsyncLifetime
{
    [Fact]
    public async Task Should_serve_the_interactive_reference_in_development_without_a_token()
    {
        await using var shipping = await StartShippingAsync("Development");

        var page = await shipping.ClientFor(null).GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Should_not_serve_it_anywhere_else()
    {
        await using var shipping = await StartShippingAsync("Testing");

        Assert.Equal(HttpStatusCode.NotFound, (await shipping.Http.GetAsync("/scalar")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await shipping.Http.GetAsync("/openapi/v1.json")).StatusCode);
    }

    Task<InProcessService> StartShippingAsync(string environment) =>
        InProcessService.StartAsync("Shipping", Database, VirtualHost, ShippingApp.Build, environment: environment);
}

using System.Net;

namespace Shop.Shipping.Tests.Hosting;

/// <summary>
/// A page on a name the attacker controls, rebound to 127.0.0.1, reaches a local service with its own name in the Host
/// header: the service answers only the names it is known by (<c>AllowedHosts</c> in its appsettings.json).
/// </summary>
[Collection(ShippingCollection.Name)]
public sealed class When_a_request_names_a_foreign_host(ShippingService shipping)
{
    [Theory]
    [InlineData("rebind.attacker.example")]
    [InlineData("127.0.0.1.nip.io")]
    public async Task Should_answer_400(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Host = host;

        var response = await shipping.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    public async Task Should_answer_its_loopback_names(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Host = host;

        var response = await shipping.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

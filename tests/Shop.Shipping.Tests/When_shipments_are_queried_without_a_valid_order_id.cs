using System.Net;
using System.Text.Json;

namespace Shop.Shipping.Tests;

[Collection(ShippingCollection.Name)]
public sealed class When_shipments_are_queried_without_a_valid_order_id(ShippingService shipping)
{
    [Theory]
    [InlineData("/shipments?orderId=not-a-guid")]
    [InlineData("/shipments")]
    public async Task Should_answer_400_with_problem_details(string url)
    {
        using var response = await shipping.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("orderId", out _));
    }
}

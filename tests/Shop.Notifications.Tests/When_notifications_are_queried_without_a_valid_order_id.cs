using System.Net;
using System.Text.Json;

namespace Shop.Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class When_notifications_are_queried_without_a_valid_order_id(NotificationsService notifications)
{
    [Theory]
    [InlineData("/notifications?orderId=12345")]
    [InlineData("/notifications")]
    public async Task Should_answer_400_with_problem_details(string url)
    {
        using var response = await notifications.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("orderId", out _));
    }
}

namespace Shop.EndToEnd.Tests.Fuzz;

/// <summary>
/// The one place every fuzz request goes through. Each service's client carries a token of the role that may call it
/// (a customer's for Orders, so that submit and cancel reach their validation; an operator's elsewhere): the requests
/// are refused for what they are, not for who sends them.
/// </summary>
public static class FuzzClient
{
    public static async Task<(int Status, string? MediaType, string Body)> SendAsync(HttpClient service, HttpRequestMessage request)
    {
        using (request)
        using (var response = await service.SendAsync(request))
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}

namespace Shop.EndToEnd.Tests.Fuzz;

/// <summary>
/// The one place every fuzz request goes through: what a real client adds to each request (credentials, once the APIs
/// ask for them) is added here, for every generated request alike.
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

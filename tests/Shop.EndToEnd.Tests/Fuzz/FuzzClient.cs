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
        // A connection of its own per request: Kestrel closes one whose malformed body it did not read, and a pooled
        // connection closed that way under a request already sent ends it with "response ended prematurely" — the
        // client's race, not an answer of the service. A service that aborts mid-answer still fails the property.
        request.Headers.ConnectionClose = true;
        using (request)
        using (var response = await service.SendAsync(request))
            return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}

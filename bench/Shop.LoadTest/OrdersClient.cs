using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Shop.LoadTest;

/// <summary>What GET /orders/{id} says about an order.</summary>
sealed record OrderStatus(string Status, string? CancellationReason, DateTimeOffset UpdatedAt)
{
    public bool IsTerminal => Status is "Completed" or "Cancelled";
}

/// <summary>
/// The Orders API as the load sees it. A submission is retried with the same Idempotency-Key until Orders accepts it
/// (connection refused while Orders restarts, 5xx while its database restarts, 429 past a customer's rate limit), so a
/// retry never makes a second order. Customers submit and cancel with their own token; orders are read as an operator.
/// </summary>
sealed class OrdersClient(HttpClient http, HttpErrors errors, LoadTokens tokens)
{
    static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(2);

    int _submitAttempts;

    /// <summary>POSTs sent, retries included.</summary>
    public int SubmitAttempts => _submitAttempts;

    /// <summary>The order id once accepted, with the time the accepted attempt was sent; null when Orders refused it.</summary>
    public async Task<(Guid OrderId, DateTimeOffset SentAt)?> Submit(object body, string idempotencyKey, string customerId)
    {
        var deadline = DateTimeOffset.UtcNow + GiveUpAfter;
        for (var attempt = 0; ; attempt++)
        {
            var sentAt = DateTimeOffset.UtcNow;
            Interlocked.Increment(ref _submitAttempts);
            using var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.Customer(customerId));
            var response = await Send(request, "submit");
            if (response is { IsSuccessStatusCode: true })
            {
                using var accepted = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
                response.Dispose();
                return (accepted.RootElement.GetProperty("orderId").GetGuid(), sentAt);
            }

            var retry = response is null || (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests;
            response?.Dispose();
            if (!retry || DateTimeOffset.UtcNow > deadline)
                return null;
            await Task.Delay(Backoff(attempt));
        }
    }

    /// <summary>True when the cancel was accepted; false when the order was already final (409) or Orders stayed away.</summary>
    public async Task<bool> Cancel(Guid orderId, string customerId)
    {
        var deadline = DateTimeOffset.UtcNow + GiveUpAfter;
        for (var attempt = 0; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"orders/{orderId}/cancel");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.Customer(customerId));
            using var response = await Send(request, "cancel", expected: HttpStatusCode.Conflict);
            if (response is not null && (int)response.StatusCode < 500 && response.StatusCode != HttpStatusCode.TooManyRequests)
                return response.IsSuccessStatusCode;
            if (DateTimeOffset.UtcNow > deadline)
                return false;
            await Task.Delay(Backoff(attempt));
        }
    }

    /// <summary>Null when Orders did not answer 200 (recorded as an error; the tracker asks again later).</summary>
    public async Task<OrderStatus?> Get(Guid orderId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"orders/{orderId}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.Operator());
        using var response = await Send(request, "get");
        if (response is not { IsSuccessStatusCode: true })
            return null;
        return await response.Content.ReadFromJsonAsync<OrderStatus>(JsonSerializerOptions.Web);
    }

    /// <summary>The response, or null (recorded) when none came; a status other than 2xx or <paramref name="expected"/> is recorded.</summary>
    async Task<HttpResponseMessage?> Send(HttpRequestMessage request, string operation, HttpStatusCode? expected = null)
    {
        var sentAt = DateTimeOffset.UtcNow;
        try
        {
            var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode && response.StatusCode != expected)
                errors.Add(sentAt, operation, ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
            return response;
        }
        catch (HttpRequestException)
        {
            errors.Add(sentAt, operation, "connection");
        }
        catch (TaskCanceledException)
        {
            errors.Add(sentAt, operation, "timeout");
        }

        return null;
    }

    static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, attempt), 2_000));
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Polly.Timeout;

namespace Shop.Payments.Gateways;

/// <summary>
/// The payment provider's HTTP API (Stripe-like): every call that moves money carries an idempotency key, so repeating it
/// — a retry here, a redelivered command, another instance — returns the first outcome instead of moving money again.
/// Timeouts and transient-failure retries come from the resilience pipeline registered with this client.
/// </summary>
public sealed class PaymentProviderClient(HttpClient http)
{
    const string IdempotencyKeyHeader = "Idempotency-Key";
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Charges the order under <paramref name="idempotencyKey"/>; the answer may be a decline or a voided key.</summary>
    public Task<ProviderCharge> ChargeAsync(string idempotencyKey, Guid orderId, decimal amount, string paymentToken,
        CancellationToken cancellationToken) =>
        SendAsync<ProviderCharge>(HttpMethod.Post, "charges", idempotencyKey, new { orderId, amount, paymentToken }, cancellationToken);

    /// <summary>
    /// Voids the charge key so that it can never capture, and returns the charge as it then stands: voided, declined, or
    /// captured (too late to void: refund it instead).
    /// </summary>
    public async Task<ProviderCharge> VoidAsync(string chargeKey, Guid orderId, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync<ProviderCharge>(HttpMethod.Post, "charges/voids", chargeKey, new { orderId }, cancellationToken);
        }
        catch (ProviderRejectedException exception) when (exception.Code == "charge_already_captured")
        {
            return await FindAsync(chargeKey, cancellationToken)
                ?? throw new ProviderOutcomeUnknownException($"The provider said charge {chargeKey} was captured but does not list it.");
        }
    }

    public Task<ProviderRefund> RefundAsync(Guid chargeId, string idempotencyKey, decimal amount, CancellationToken cancellationToken) =>
        SendAsync<ProviderRefund>(HttpMethod.Post, $"charges/{chargeId}/refunds", idempotencyKey, new { amount }, cancellationToken);

    /// <summary>The charge made under the key, or null when the provider never received one.</summary>
    public async Task<ProviderCharge?> FindAsync(string idempotencyKey, CancellationToken cancellationToken) =>
        (await SendAsync<ProviderCharge[]>(HttpMethod.Get, $"charges?idempotencyKey={Uri.EscapeDataString(idempotencyKey)}", null, null,
            cancellationToken)).SingleOrDefault();

    /// <summary>Every charge the provider holds for the order, under any key.</summary>
    public Task<ProviderCharge[]> ChargesOfAsync(Guid orderId, CancellationToken cancellationToken) =>
        SendAsync<ProviderCharge[]>(HttpMethod.Get, $"charges?orderId={orderId}", null, null, cancellationToken);

    async Task<T> SendAsync<T>(HttpMethod method, string path, string? idempotencyKey, object? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (idempotencyKey is not null)
            request.Headers.Add(IdempotencyKeyHeader, idempotencyKey);
        if (body is not null)
            request.Content = JsonContent.Create(body, options: Json);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutRejectedException
                                              || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ProviderOutcomeUnknownException($"{method} {path}: no answer from the payment provider ({exception.GetType().Name}).",
                exception);
        }

        using (response)
        {
            if (response.IsSuccessStatusCode)
                return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
                    ?? throw new ProviderOutcomeUnknownException($"{method} {path}: an empty answer from the payment provider.");

            if ((int)response.StatusCode >= 500 || response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests)
                throw new ProviderOutcomeUnknownException($"{method} {path}: the payment provider answered {(int)response.StatusCode}.");

            var problem = await ReadProblemAsync(response, cancellationToken);
            throw new ProviderRejectedException($"{method} {path}: the payment provider refused it ({(int)response.StatusCode} {problem.Code ?? problem.Title}).",
                problem.Code);
        }
    }

    static async Task<Problem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<Problem>(Json, cancellationToken) ?? new Problem();
        }
        catch (JsonException)
        {
            return new Problem();
        }
    }

    /// <summary>RFC 7807 problem details; the provider names its error in <c>code</c> (or in the last part of <c>type</c>).</summary>
    sealed class Problem
    {
        public string? Type { get; init; }
        public string? Title { get; init; }

        [JsonPropertyName("code")]
        public string? ErrorCode { get; init; }

        [JsonIgnore]
        public string? Code => ErrorCode ?? Type?.Split('/', '#', ':').LastOrDefault(x => x.Length > 0);
    }
}

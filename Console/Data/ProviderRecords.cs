using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace Shop.Console.Data;

/// <summary>
/// An order's charges as the payment provider holds them (<c>GET /charges?orderId=</c>), read with the console's restricted
/// key: the provider's side beside Payments' ledger, so an operator sees at once whether the two agree. The key can read,
/// never charge, void or refund (the provider answers 403 to any write).
/// </summary>
public sealed class ProviderRecords(HttpClient http, IOptions<ConsoleOptions> options, ILogger<ProviderRecords> logger)
{
    public async Task<ProviderCharges> ChargesOfAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var key = settings.PaymentProviderKey;
        if (settings.PaymentProvider is null || key is null)
            return new ProviderCharges([], "The payment provider is not configured (Console:PaymentProvider and its restricted key).");

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(settings.PaymentProvider, $"charges?orderId={orderId}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
                return new ProviderCharges([], $"The payment provider answered {(int)response.StatusCode}.");
            var charges = await response.Content.ReadFromJsonAsync<List<ProviderCharge>>(cancellationToken) ?? [];
            return new ProviderCharges(charges, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Reading the charges of order {OrderId} from the payment provider failed", orderId);
            return new ProviderCharges([], "The payment provider is unreachable.");
        }
    }
}

/// <param name="Problem">Why there is no list (not configured, unreachable, refused); null when it was read.</param>
public sealed record ProviderCharges(IReadOnlyList<ProviderCharge> Charges, string? Problem);

/// <summary>The provider's charge object, the fields an operator reads.</summary>
public sealed record ProviderCharge(Guid ChargeId, decimal Amount, decimal AmountRefunded, string Status, string? DeclineCode, DateTimeOffset CreatedAt);

using System.Net.Http.Headers;
using Shop.Payments.Gateways;

namespace Shop.Audit;

/// <summary>
/// The payment provider's own records of the audited orders, read through its API (<c>GET /charges?orderId=</c>), a few
/// orders at a time: the truth the ledger and the saga are held against.
/// </summary>
public static class ProviderCharges
{
    const int Parallelism = 8;

    public static async Task<IReadOnlyDictionary<Guid, ProviderCharge[]>> ReadAsync(Uri providerUrl, string? apiKey, IEnumerable<Guid> orderIds,
        CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = providerUrl, Timeout = TimeSpan.FromSeconds(30) };
        // The provider answers its merchants only: the audit reads as the shop, with the shop's key.
        if (apiKey is not null)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var provider = new PaymentProviderClient(http);
        var charges = new System.Collections.Concurrent.ConcurrentDictionary<Guid, ProviderCharge[]>();
        await Parallel.ForEachAsync(orderIds, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (orderId, token) => charges[orderId] = await provider.ChargesOfAsync(orderId, token));
        return charges;
    }
}

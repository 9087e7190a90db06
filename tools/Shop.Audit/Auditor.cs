using System.Diagnostics;

namespace Shop.Audit;

/// <summary>
/// Reads the five databases and the error queues at once, then the payment provider's records of the orders read, and
/// runs every check on what it read.
/// </summary>
public static class Auditor
{
    public static async Task<AuditReport> RunAsync(AuditOptions options, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var now = DateTimeOffset.UtcNow;
        using var errorQueues = new ErrorQueues(options);
        var reading = AuditData.ReadAsync(new ServiceDatabases(options), options.Since, cancellationToken);
        var peeking = errorQueues.CheckAsync(cancellationToken);
        await Task.WhenAll(reading, peeking);

        var data = await reading;
        var (queues, errorCheck) = await peeking;
        var providerChecks = options.PaymentProviderUrl is { } providerUrl
            ? ProviderChecks.Run(data, await ProviderCharges.ReadAsync(providerUrl, options.PaymentProviderKey, data.Orders.Select(x => x.Id), cancellationToken))
            : [];
        var outcomes = data.Orders
            .GroupBy(x => (State: x.State ?? "(no saga)", Reason: x.CancellationReason))
            .Select(x => new OrderOutcome(x.Key.State, x.Key.Reason, x.Count()))
            .OrderByDescending(x => x.Count)
            .ToList();
        return new AuditReport(now, options.Since, data.Orders.Count, outcomes, queues,
            [.. OrderChecks.Run(data, options, now), .. providerChecks, .. StockChecks.Run(data), errorCheck], stopwatch.Elapsed);
    }
}

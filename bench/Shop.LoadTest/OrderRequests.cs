namespace Shop.LoadTest;

/// <summary>The body of POST /orders, built from the documented triggers of each outcome, and whose order it is.</summary>
static class OrderRequests
{
    const int StockedSkus = 100;

    /// <summary>Simulated customers; each has its own token (and its own rate limit in Orders).</summary>
    const int Customers = 97;

    public static string CustomerOf(string runId, int orderNumber) => $"load-{runId}-{orderNumber % Customers}";

    /// <summary>In the catalog (priced) with nothing on hand: the outofstock outcome. The run sets it up (<see cref="LoadRun"/>).</summary>
    public const string OutOfStockSku = "SKU-NONE";

    public static object Build(string runId, int orderNumber, Outcome outcome)
    {
        var random = new Random(orderNumber);
        var firstSku = random.Next(StockedSkus);
        var secondSku = (firstSku + 1 + random.Next(StockedSkus - 1)) % StockedSkus;
        var items = new List<object>
        {
            Item(Sku(firstSku), 1 + random.Next(3)),
            Item(outcome == Outcome.OutOfStock ? OutOfStockSku : Sku(secondSku), 1),
        };

        return new
        {
            email = $"load{orderNumber}@example.com",
            items,
            paymentToken = outcome switch
            {
                Outcome.Declined => "tok_chargeDeclined",
                Outcome.SlowProvider => "tok_slow",
                Outcome.LostAnswer => "tok_timeout",
                _ => "tok_visa",
            },
            shippingAddress = outcome == Outcome.ShippingFailure
                ? new { line1 = "Research Station", city = "McMurdo", postalCode = "0", country = "AQ" }
                : new { line1 = $"{orderNumber} Main St", city = "Berlin", postalCode = "10115", country = "DE" },
        };
    }

    static string Sku(int index) => $"SKU-{index + 1:000}";

    /// <summary>A line: which SKU, how many. The price is the catalog's (the seeded SKUs cost 12.50).</summary>
    static object Item(string sku, int quantity) => new { sku, quantity };
}

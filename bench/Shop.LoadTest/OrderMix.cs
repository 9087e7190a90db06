using System.Globalization;

namespace Shop.LoadTest;

/// <summary>What an order is built to end as, through the documented test triggers.</summary>
enum Outcome
{
    Happy,
    Declined,
    OutOfStock,
    ShippingFailure,
    CustomerCancel,

    /// <summary>The provider answers the charge late (<c>tok_slow</c>): completed, or cancelled by the payment timeout and refunded.</summary>
    SlowProvider,

    /// <summary>The provider captures and never answers (<c>tok_timeout</c>): Payments must reconcile it by key.</summary>
    LostAnswer,
}

/// <summary>Weights of the outcomes; <see cref="Pick"/> is deterministic per order number, so two runs submit the same orders.</summary>
sealed class OrderMix(IReadOnlyDictionary<Outcome, int> weights)
{
    public static readonly OrderMix Default = new(new Dictionary<Outcome, int>
    {
        [Outcome.Happy] = 90,
        [Outcome.Declined] = 4,
        [Outcome.OutOfStock] = 3,
        [Outcome.ShippingFailure] = 2,
        [Outcome.CustomerCancel] = 1,
    });

    static readonly Dictionary<string, Outcome> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["happy"] = Outcome.Happy,
        ["declined"] = Outcome.Declined,
        ["outofstock"] = Outcome.OutOfStock,
        ["shipping"] = Outcome.ShippingFailure,
        ["cancel"] = Outcome.CustomerCancel,
        ["slow"] = Outcome.SlowProvider,
        ["lost"] = Outcome.LostAnswer,
    };

    readonly int _total = weights.Values.Sum();

    public IReadOnlyDictionary<Outcome, int> Weights => weights;

    public double Share(Outcome outcome) => (double)weights.GetValueOrDefault(outcome) / _total;

    /// <summary><c>happy=90,declined=4,outofstock=3,shipping=2,cancel=1</c> (also <c>slow</c>, <c>lost</c>); outcomes left out get weight 0.</summary>
    public static OrderMix Parse(string value)
    {
        var weights = new Dictionary<Outcome, int>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var pair = part.Split('=');
            if (pair.Length != 2 || !Names.TryGetValue(pair[0], out var outcome) ||
                !int.TryParse(pair[1], NumberStyles.None, CultureInfo.InvariantCulture, out var weight))
                throw new ArgumentException($"--mix: '{part}' is not outcome=weight (outcomes: {string.Join(", ", Names.Keys)}).");
            weights[outcome] = weight;
        }

        return weights.Values.Sum() > 0 ? new OrderMix(weights) : throw new ArgumentException("--mix: the weights add up to 0.");
    }

    /// <summary>Spreads the outcomes evenly over the order numbers (a fixed-seed shuffle, not bursts of one kind).</summary>
    public Outcome Pick(int orderNumber)
    {
        var slot = new Random(orderNumber).Next(_total);
        foreach (var (outcome, weight) in weights.OrderBy(x => x.Key))
        {
            if (slot < weight)
                return outcome;
            slot -= weight;
        }

        throw new InvalidOperationException("Unreachable: the weights add up to the total.");
    }

    public override string ToString() =>
        string.Join(",", Names.Where(x => weights.ContainsKey(x.Value)).Select(x => $"{x.Key}={weights[x.Value]}"));
}

namespace Shop.Orders.Saga;

/// <summary>
/// Names the order saga's states were stored under before a rename, each with the state it is now. The saga repository
/// loads a row stored under a former name as the current state (and stores it back under the current name), so orders
/// waiting across an upgrade keep moving while old and new instances run side by side; the open-orders sampler counts
/// them under the current name. Never remove an entry while a row or an older instance may still use the name; the rule
/// for a rename is in docs/scaling.md ("Renaming a saga state").
/// </summary>
public static class FormerStateNames
{
    public static readonly IReadOnlyDictionary<string, string> Map = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Renamed by the migration RenameStockReservedState: an instance of the release before it still writes it.
        ["StockReserved"] = nameof(OrderStateMachine.Reserved),
    };

    /// <summary>The current name of a stored state name.</summary>
    public static string Current(string stored) => Map.TryGetValue(stored, out var current) ? current : stored;
}

namespace Shop.ServiceDefaults.Identity;

/// <summary>The two identities of the Shop's HTTP APIs, as role claim values.</summary>
public static class ShopRoles
{
    /// <summary>Places orders and follows and cancels its own (the token's <c>sub</c> is the customer id).</summary>
    public const string Customer = "customer";

    /// <summary>Everything else: stock, products, payments, shipments, notifications, any order.</summary>
    public const string Operator = "operator";
}

/// <summary>Authorization policy names; an endpoint without one is operator-only (the fallback policy).</summary>
public static class ShopPolicies
{
    public const string Customer = "customer";
    public const string Operator = "operator";
    public const string CustomerOrOperator = "customer-or-operator";
}

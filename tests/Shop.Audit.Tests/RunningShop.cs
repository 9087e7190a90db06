using Shop.Testing;

namespace Shop.Audit.Tests;

/// <summary>
/// The five real services in-process (<see cref="ShopStack"/>, all as the operator, a short payment timeout) and the
/// payment-provider simulator they charge, so that the audit can be run on what the real flow wrote.
/// </summary>
public sealed class RunningShop() : ShopStack(new ShopStackOptions
{
    Name = "audit",
    Customer = "customer-audit",
    OrdersSettings = new Dictionary<string, string?> { ["Orders:PaymentTimeout"] = "00:00:02" },
}), IAsyncLifetime
{
    public Task<AuditRun> AuditAsync(params string[] options) => AuditRun.ExecuteAsync(
        [Databases["Orders"], Databases["Payments"], Databases["Inventory"], Databases["Shipping"], Databases["Notifications"]],
        VirtualHost, Provider.Address, options);
}

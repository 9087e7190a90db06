using MassTransit;

namespace Shop.Contracts;

/// <summary>
/// A product of the catalog was created or changed in Inventory (the owner of products), or is republished as it is.
/// Carries the whole product (event-carried state transfer): Orders keeps its price list from these alone.
/// <see cref="Version"/> grows with every change of the SKU; a receiver ignores a version older than the one it holds.
/// </summary>
[MessageUrn("shop:inventory:product-updated:v1")]
public sealed record ProductUpdated(string Sku, string Name, decimal UnitPrice, long Version, DateTimeOffset UpdatedAt);

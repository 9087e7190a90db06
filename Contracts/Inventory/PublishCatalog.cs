using MassTransit;

namespace Shop.Contracts;

/// <summary>
/// Publish a <see cref="ProductUpdated"/> for every product as it is now: sent by a service whose copy of the catalog
/// is empty (Orders on a fresh database) so that it need not wait for Inventory's next start.
/// </summary>
[MessageUrn("shop:inventory:publish-catalog:v1")]
public sealed record PublishCatalog(string RequestedBy, DateTimeOffset RequestedAt);

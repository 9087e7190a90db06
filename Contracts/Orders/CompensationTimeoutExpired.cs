using MassTransit;

namespace Shop.Contracts;

/// <summary>
/// The saga's compensation deadline passed with a compensation still unconfirmed: the order is escalated (and keeps
/// waiting). Scheduled by the order saga to itself.
/// </summary>
[MessageUrn("shop:orders:compensation-timeout-expired:v1")]
public sealed record CompensationTimeoutExpired(Guid OrderId);

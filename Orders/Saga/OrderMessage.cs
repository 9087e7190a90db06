using MassTransit;

namespace Shop.Orders.Saga;

/// <summary>A message the order saga handles, and how to partition it by the order id it carries.</summary>
public sealed record OrderMessage(Type MessageType, Action<ISagaConfigurator<OrderState>, IPartitioner> Partition)
{
    public static OrderMessage Of<T>(Func<T, Guid> orderId)
        where T : class =>
        new(typeof(T), (saga, partitioner) => saga.Message<T>(message => message.UsePartitioner(partitioner, x => orderId(x.Message))));
}

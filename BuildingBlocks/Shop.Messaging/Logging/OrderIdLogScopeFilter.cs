using System.Linq.Expressions;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Shop.Messaging.Logging;

/// <summary>
/// Puts the message's <c>OrderId</c> (any message with a <see cref="Guid"/> property of that name) into the logging
/// scope, so every line logged while consuming it — by our code or MassTransit's — names the order.
/// </summary>
public sealed class OrderIdLogScopeFilter<TMessage>(ILogger<OrderIdLogScopeFilter<TMessage>> logger) : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    static readonly Func<TMessage, Guid>? ReadOrderId = CreateReader();

    public void Probe(ProbeContext context) => context.CreateFilterScope("order-id-log-scope");

    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        if (ReadOrderId is null)
        {
            await next.Send(context).ConfigureAwait(false);
            return;
        }

        using (logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = ReadOrderId(context.Message) }))
            await next.Send(context).ConfigureAwait(false);
    }

    static Func<TMessage, Guid>? CreateReader()
    {
        var property = typeof(TMessage).GetProperty("OrderId");
        if (property?.PropertyType != typeof(Guid))
            return null;

        var message = Expression.Parameter(typeof(TMessage));
        return Expression.Lambda<Func<TMessage, Guid>>(Expression.Property(message, property), message).Compile();
    }
}

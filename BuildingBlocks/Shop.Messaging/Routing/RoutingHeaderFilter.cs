using MassTransit;

namespace Shop.Messaging.Routing;

/// <summary>
/// Sets a published message's routing headers from its content. It runs in the publish pipe, before the outbox takes
/// the message, so the headers are stored with the row and sent with it (<c>StoredMessageSendPipe</c> keeps
/// <c>Shop-*</c> headers); they are also inside the signed envelope, but a feed's consumer still checks the content.
/// </summary>
sealed class RoutingHeaderFilter<T>(IReadOnlyList<RoutingHeader> headers) : IFilter<PublishContext<T>>
    where T : class
{
    public Task Send(PublishContext<T> context, IPipe<PublishContext<T>> next)
    {
        foreach (var header in headers)
        {
            if (header.ValueOf(context.Message) is { } value)
                context.Headers.Set(header.Name, value);
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("routingHeaders");
}

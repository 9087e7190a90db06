using MassTransit;

namespace Shop.Messaging.Tests.Infrastructure;

public static class Sending
{
    public static async Task SendTo<T>(this IBus bus, string queue, T message, Guid? messageId = null)
        where T : class
    {
        var endpoint = await bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(message, context =>
        {
            if (messageId is { } id)
                context.MessageId = id;
        });
    }
}

using MassTransit;
using Microsoft.Extensions.Logging;

namespace Shop.Messaging.Signing;

/// <summary>
/// Verifies every received message before anything consumes it (<see cref="MessageVerifier"/>: signed, by a key in the
/// ring, unaltered, within the replay window, by a sender allowed every type its envelope names). Anything else throws
/// <see cref="MessageRejectedException"/> outside every retry, so the message goes straight to <c>_error</c>.
/// </summary>
sealed class SignatureVerificationFilter(MessageVerifier verifier, ILogger logger) : IFilter<ConsumeContext>
{
    public void Probe(ProbeContext context) => context.CreateFilterScope("shop-signature-verification");

    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        if (!context.ReceiveContext.TryGetPayload(out VerifiedSignature? _))
        {
            try
            {
                Verify(context);
            }
            catch (MessageRejectedException exception)
            {
                logger.LogWarning("{MessageType} {MessageId} on {InputAddress} rejected: {Reason}",
                    string.Join(";", context.SupportedMessageTypes), context.MessageId, context.ReceiveContext.InputAddress, exception.Message);
                throw;
            }

            context.ReceiveContext.GetOrAddPayload(() => new VerifiedSignature());
        }

        return next.Send(context);
    }

    void Verify(ConsumeContext context)
    {
        var headers = context.ReceiveContext.TransportHeaders;
        // Exactly the list MassTransit matches consumers against (an array from the envelope: no copy).
        var messageTypes = context.SupportedMessageTypes as IReadOnlyList<string> ?? [.. context.SupportedMessageTypes];
        verifier.Verify(name => headers.Get<string>(name), context.MessageId, messageTypes,
            context.ReceiveContext.Body.GetBytes(), context.GetRedeliveryCount());
    }

    sealed class VerifiedSignature;
}

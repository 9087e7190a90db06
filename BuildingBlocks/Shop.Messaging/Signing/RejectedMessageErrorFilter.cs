using MassTransit;
using MassTransit.Middleware;

namespace Shop.Messaging.Signing;

/// <summary>
/// The error pipe of every Shop endpoint: MassTransit's own (a <c>ReceiveFault</c> event, then the move to
/// <c>_error</c> keeping body and headers), except that a message whose signature was refused gets the reason in
/// <see cref="MessageSignature.RejectedHeader"/> and no fault event — it was never the sender's to fail.
/// </summary>
sealed class RejectedMessageErrorFilter : IFilter<ExceptionReceiveContext>
{
    readonly IFilter<ExceptionReceiveContext> _generateFault = new GenerateFaultFilter();

    public void Probe(ProbeContext context) => context.CreateFilterScope("shop-rejected-message-error");

    public async Task Send(ExceptionReceiveContext context, IPipe<ExceptionReceiveContext> next)
    {
        if (context.Exception.GetBaseException() is MessageRejectedException rejected)
        {
            context.ExceptionHeaders.Set(MessageSignature.RejectedHeader, rejected.Reason);
            if (!context.IsFaulted)
                await context.NotifyFaulted(context.Exception).ConfigureAwait(false);
            await next.Send(context).ConfigureAwait(false);
            return;
        }

        await _generateFault.Send(context, next).ConfigureAwait(false);
    }

    /// <summary>Replaces an endpoint's error pipe with this filter and MassTransit's move to <c>_error</c>.</summary>
    public static void Apply(IReceiveEndpointConfigurator endpoint)
    {
        if (endpoint is IReceivePipelineConfigurator pipeline)
        {
            pipeline.ConfigureError(error =>
            {
                error.UseFilter(new RejectedMessageErrorFilter());
                error.UseFilter(new ErrorTransportFilter());
            });
        }
    }
}

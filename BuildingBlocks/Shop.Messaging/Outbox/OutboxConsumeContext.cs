using MassTransit;
using MassTransit.Middleware;
using MassTransit.Middleware.Outbox;

namespace Shop.Messaging.Outbox;

/// <summary>
/// The consume context a consumer or saga sees under the transactional outbox: every publish, send, response and
/// scheduled send becomes an outbox row on the unit of work's DbContext (MassTransit's public outbox proxy supplies
/// the send/publish/scheduler redirection; we supply the storage).
/// </summary>
sealed class TransactionalConsumeContext<TMessage>(
    ConsumeContext<TMessage> context,
    OutboxConsumeOptions options,
    IServiceProvider provider,
    OutboxBuffer buffer)
    : OutboxConsumeContextProxy<TMessage>(context, options, provider)
    where TMessage : class
{
    public override Task AddSend<T>(SendContext<T> context) => buffer.Add(context);

    // The members below drive MassTransit's own multi-transaction outbox loop, which we do not use: our filter
    // consumes, records the inbox row and writes the outbox in one transaction, and the delivery service sends.
    public override bool ContinueProcessing { get; set; }
    public override bool IsMessageConsumed => false;
    public override bool IsOutboxDelivered => false;
    public override int ReceiveCount => 0;
    public override long? LastSequenceNumber => null;
    public override Task SetConsumed() => Task.CompletedTask;
    public override Task SetDelivered() => Task.CompletedTask;
    public override Task<List<OutboxMessageContext>> LoadOutboxMessages() => Task.FromResult(new List<OutboxMessageContext>());
    public override Task NotifyOutboxMessageDelivered(OutboxMessageContext message) => Task.CompletedTask;
    public override Task RemoveOutboxMessages() => Task.CompletedTask;
}

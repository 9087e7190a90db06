using System.Collections.Concurrent;
using MassTransit;
using Shop.Contracts;
using Shop.Testing;

namespace Shop.Admin.Tests;

/// <summary>
/// A real MassTransit receive endpoint, <c>charge-payment</c>, whose consumer throws while the gateway is down (no
/// retry: MassTransit moves the message to <c>charge-payment_error</c> with its fault headers) and records what it
/// consumed once the gateway is back.
/// </summary>
public sealed class PaymentEndpoint : IAsyncDisposable
{
    public const string Queue = "charge-payment";
    public const string Failure = "The payment gateway is down";

    readonly ConcurrentQueue<Consumed> _consumed = new();
    TestBus _bus = null!;

    public bool GatewayDown { get; set; } = true;

    public IReadOnlyList<Consumed> ConsumedMessages => _consumed.ToList();

    public static async Task<PaymentEndpoint> StartAsync(TestVirtualHost virtualHost)
    {
        var endpoint = new PaymentEndpoint();
        endpoint._bus = await TestBus.StartAsync(virtualHost, (_, receive) => receive.Consumer(() => new ChargePaymentConsumer(endpoint)), Queue);
        return endpoint;
    }

    public Task<Guid> ChargeAsync(Guid orderId) => _bus.Send(Queue, new ChargePayment(orderId, "customer-1", 25.00m, "tok_visa"));

    public int TimesConsumed(Guid messageId) => _consumed.Count(x => x.MessageId == messageId);

    public async ValueTask DisposeAsync() => await _bus.DisposeAsync();

    /// <param name="TransportHeaders">The AMQP headers, as text: where the signature travels.</param>
    public sealed record Consumed(Guid MessageId, Guid OrderId, IReadOnlyDictionary<string, object> Headers,
        IReadOnlyDictionary<string, string> TransportHeaders);

    sealed class ChargePaymentConsumer(PaymentEndpoint endpoint) : IConsumer<ChargePayment>
    {
        public Task Consume(ConsumeContext<ChargePayment> context)
        {
            if (endpoint.GatewayDown)
                throw new InvalidOperationException(Failure);

            endpoint._consumed.Enqueue(new Consumed(context.MessageId!.Value, context.Message.OrderId,
                context.Headers.GetAll().ToDictionary(x => x.Key, x => x.Value),
                context.ReceiveContext.TransportHeaders.GetAll().ToDictionary(x => x.Key,
                    x => x.Value is byte[] bytes ? System.Text.Encoding.UTF8.GetString(bytes) : x.Value?.ToString() ?? "")));
            return Task.CompletedTask;
        }
    }
}

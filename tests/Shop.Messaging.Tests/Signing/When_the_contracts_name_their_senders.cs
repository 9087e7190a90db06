using System.Reflection;
using MassTransit;
using Shop.Contracts;
using Shop.Messaging.Signing;

namespace Shop.Messaging.Tests.Signing;

/// <summary>Every message of the contracts has the one service that may send it; consumers verify against it.</summary>
public sealed class When_the_contracts_name_their_senders
{
    static readonly string[] Services =
        [MessageSenders.Orders, MessageSenders.Payments, MessageSenders.Inventory, MessageSenders.Shipping, MessageSenders.Notifications];

    static IEnumerable<Type> ContractMessages => typeof(MessageSenders).Assembly.GetExportedTypes()
        .Where(x => x.Namespace == "Shop.Contracts" && x.IsClass && !x.IsAbstract && x.GetMethod("<Clone>$") is not null)
        .Where(x => x.GetCustomAttribute<MessageUrnAttribute>() is not null || !IsValueType(x));

    // Value types shared by messages (Common/), not messages themselves.
    static bool IsValueType(Type type) => type == typeof(OrderLine) || type == typeof(StockLine) || type == typeof(ShippingAddress);

    [Fact]
    public void Should_give_every_message_type_a_sender_among_the_services()
    {
        var messages = ContractMessages.ToList();
        Assert.True(messages.Count >= 25, $"only {messages.Count} contract messages found");
        foreach (var message in messages)
        {
            Assert.True(MessageSenders.All.TryGetValue(message, out var sender), $"{message.Name} has no sender");
            Assert.Contains(sender, Services);
        }
    }

    [Theory]
    [InlineData(typeof(PaymentCaptured), "payments")]
    [InlineData(typeof(PaymentDeclined), "payments")]
    [InlineData(typeof(ChargePayment), "orders")]
    [InlineData(typeof(RefundPayment), "orders")]
    [InlineData(typeof(StockReserved), "inventory")]
    [InlineData(typeof(ReserveStock), "orders")]
    [InlineData(typeof(ShipmentCreated), "shipping")]
    [InlineData(typeof(CreateShipment), "orders")]
    [InlineData(typeof(OrderCompleted), "orders")]
    [InlineData(typeof(PaymentTimeoutExpired), "orders")]
    public void Should_name_the_owner_of(Type message, string sender) => Assert.Equal(sender, MessageSenders.All[message]);

    [Fact]
    public void Should_let_any_service_send_the_fault_of_a_message()
    {
        var map = new MessageSenderMap(MessageSenders.All);
        Assert.Equal("payments", map.SenderOf(MessageUrn.ForTypeString<PaymentCaptured>()));
        Assert.Equal(MessageSenderMap.AnyService, map.SenderOf(MessageUrn.ForTypeString<Fault<CommitStock>>()));
        Assert.Null(map.SenderOf("urn:message:Shop.Contracts:SomethingElse"));
    }
}

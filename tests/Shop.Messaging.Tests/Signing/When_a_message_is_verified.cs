using System.Security.Cryptography;
using System.Text;
using MassTransit;
using Shop.Contracts;
using Shop.Messaging.Signing;
using Shop.Testing;

namespace Shop.Messaging.Tests.Signing;

/// <summary>
/// Every branch of <see cref="MessageVerifier"/>, as Orders verifies what reaches it: the signature, its age, and who
/// may send every type an envelope names — compared ignoring case, as MassTransit picks consumers — including faults,
/// re-drives by the operator and Orders' own durable redeliveries.
/// </summary>
public sealed class When_a_message_is_verified
{
    static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"messageId":"x","message":{"orderId":"1","total":0.05}}""");

    static readonly string Captured = MessageUrn.ForTypeString<PaymentCaptured>();
    static readonly string Reserved = MessageUrn.ForTypeString<StockReserved>();
    static readonly string Committed = MessageUrn.ForTypeString<StockCommitted>();
    static readonly string SubmittedV1 = MessageUrn.ForTypeString<OrderSubmittedV1>();
    static readonly string ChargeFault = MessageUrn.ForTypeString<Fault<ChargePayment>>();
    static readonly string ReserveFault = MessageUrn.ForTypeString<Fault<ReserveStock>>();

    readonly MessageVerifier _orders = new(
        new SigningKeyRing(MessageSenders.Orders, TestSigningKeys.For(MessageSenders.Orders),
            TestSigningKeys.Signers.Select(TestSigningKeys.For).Select(x => (x.Signer, x.KeyId, x.Key))),
        new MessageSenderMap(MessageSenders.All, MessageConsumers.All),
        new SigningOptions(),
        new FixedClock(Now));

    [Fact]
    public void Should_accept_a_message_of_its_sender() => Accepted(Signed("payments", [Captured]));

    [Fact]
    public void Should_accept_a_type_in_another_letter_case_from_its_sender() =>
        Accepted(Signed("payments", [Captured.ToUpperInvariant()]));

    [Fact]
    public void Should_refuse_a_message_without_a_signature() =>
        Rejected("unsigned", Signed("payments", [Captured]).Without(MessageSignature.SignatureHeader));

    [Fact]
    public void Should_refuse_a_signing_time_that_is_no_utc_time() =>
        Rejected("unsigned", Signed("payments", [Captured]).With(MessageSignature.SignedAtHeader, "yesterday"));

    [Fact]
    public void Should_refuse_part_of_an_original_signer() =>
        Rejected("unsigned", Signed("payments", [Captured]).With(MessageSignature.OriginalSignerHeader, "payments"));

    [Fact]
    public void Should_refuse_a_key_it_does_not_hold() =>
        Rejected("unknown-key", Signed("payments", [Captured]).With(MessageSignature.KeyIdHeader, "payments-stolen"));

    [Fact]
    public void Should_refuse_a_changed_body() =>
        Rejected("forged", Signed("payments", [Captured]) with { Body = Encoding.UTF8.GetBytes("""{"message":{"total":5000}}""") });

    [Fact]
    public void Should_refuse_a_signature_of_another_key()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Rejected("forged", Signed("payments", [Captured], key: other));
    }

    [Fact]
    public void Should_refuse_an_original_signer_added_after_signing() =>
        Rejected("forged", Signed("operator", [Captured], original: "inventory")
            .With(MessageSignature.OriginalSignerHeader, "payments"));

    [Fact]
    public void Should_refuse_a_message_older_than_the_window() =>
        Rejected("expired", Signed("payments", [Captured], signedAt: Now - TimeSpan.FromMinutes(6)));

    [Fact]
    public void Should_refuse_a_message_from_the_future() =>
        Rejected("future", Signed("payments", [Captured], signedAt: Now + TimeSpan.FromMinutes(1)));

    [Fact]
    public void Should_refuse_a_type_of_another_sender() => Rejected("wrong-sender", Signed("inventory", [Captured]));

    [Fact]
    public void Should_refuse_an_order_hidden_behind_one_of_the_signer_s_own_types_in_another_letter_case() =>
        Rejected("wrong-sender", Signed("inventory", [Committed, "urn:message:SHOP:orders:order-submitted:v1"]));

    [Fact]
    public void Should_refuse_a_known_type_beside_an_unknown_one() =>
        Rejected("wrong-sender", Signed("inventory", [Reserved, "urn:message:Shop.Contracts:OrderSubmittedV1"]));

    [Fact]
    public void Should_refuse_an_envelope_naming_no_type() => Rejected("wrong-sender", Signed("inventory", []));

    [Fact]
    public void Should_accept_a_fault_from_the_consumer_of_its_message() =>
        Accepted(Signed("payments", [ChargeFault, MessageSenderMap.FaultUrn]));

    [Fact]
    public void Should_refuse_a_fault_from_a_service_that_does_not_consume_its_message() =>
        Rejected("wrong-sender", Signed("inventory", [ChargeFault, MessageSenderMap.FaultUrn]));

    [Fact]
    public void Should_refuse_an_order_hidden_behind_a_fault_the_signer_may_send() =>
        Rejected("wrong-sender", Signed("inventory", [ReserveFault, SubmittedV1]));

    [Fact]
    public void Should_refuse_the_bare_fault_type_without_a_fault_of_a_message() =>
        Rejected("wrong-sender", Signed("inventory", [MessageSenderMap.FaultUrn]));

    [Fact]
    public void Should_refuse_the_fault_of_a_message_nobody_consumes() =>
        Rejected("wrong-sender", Signed("inventory", [MessageUrn.ForTypeString<Fault<StockCommitted>>()]));

    [Fact]
    public void Should_refuse_the_operator_key_alone() => Rejected("wrong-sender", Signed("operator", [Captured]));

    [Fact]
    public void Should_accept_a_re_drive_in_the_name_of_the_sender() => Accepted(Signed("operator", [Captured], original: "payments"));

    [Fact]
    public void Should_refuse_a_re_drive_in_the_name_of_another_service() =>
        Rejected("wrong-sender", Signed("operator", [Captured], original: "inventory"));

    [Fact]
    public void Should_refuse_a_re_drive_in_the_name_of_the_operator() =>
        Rejected("wrong-sender", Signed("operator", [Captured], original: "operator"));

    [Fact]
    public void Should_accept_its_own_redelivery_in_the_name_of_the_sender() =>
        Accepted(Signed("orders", [Captured], original: "payments"), redeliveryCount: 1);

    [Fact]
    public void Should_refuse_its_own_redelivery_without_an_original_signer_for_a_type_it_may_not_send() =>
        Rejected("wrong-sender", Signed("orders", [Captured]), redeliveryCount: 1);

    [Fact]
    public void Should_refuse_an_original_signer_on_what_is_no_redelivery() =>
        Rejected("wrong-sender", Signed("orders", [Captured], original: "payments"));

    [Fact]
    public void Should_refuse_another_service_s_redelivery() =>
        Rejected("wrong-sender", Signed("inventory", [Captured], original: "payments"), redeliveryCount: 1);

    [Fact]
    public void Should_refuse_its_own_redelivery_in_the_name_of_a_service_that_may_not_send_the_type() =>
        Rejected("wrong-sender", Signed("orders", [Captured], original: "inventory"), redeliveryCount: 1);

    void Accepted(Message message, int redeliveryCount = 0) =>
        _orders.Verify(message.Header, message.MessageId, message.Types, message.Body, redeliveryCount);

    void Rejected(string reason, Message message, int redeliveryCount = 0)
    {
        var rejected = Assert.Throws<MessageRejectedException>(() =>
            _orders.Verify(message.Header, message.MessageId, message.Types, message.Body, redeliveryCount));
        Assert.Equal(reason, rejected.Reason);
    }

    static Message Signed(string signer, string[] types, ECDsa? key = null, DateTimeOffset? signedAt = null, string? original = null)
    {
        var signing = TestSigningKeys.For(signer);
        var messageId = Guid.NewGuid();
        var originalSigner = original is null ? null : new OriginalSigner(original, $"{original}-test", MessageSignature.FormatTime(Now));
        var fields = new SignedFields(signer, signing.KeyId, MessageSignature.FormatTime(signedAt ?? Now), messageId, string.Join(";", types), originalSigner);
        var headers = new Dictionary<string, string>
        {
            [MessageSignature.SignatureHeader] = MessageSignature.Sign(key ?? signing.Key, fields, Body),
            [MessageSignature.SignerHeader] = signer,
            [MessageSignature.KeyIdHeader] = signing.KeyId,
            [MessageSignature.SignedAtHeader] = fields.SignedAt,
        };
        if (originalSigner is not null)
        {
            headers[MessageSignature.OriginalSignerHeader] = originalSigner.Signer;
            headers[MessageSignature.OriginalKeyIdHeader] = originalSigner.KeyId;
            headers[MessageSignature.OriginalSignedAtHeader] = originalSigner.SignedAt;
        }

        return new Message(headers, messageId, types, Body);
    }

    sealed record Message(IReadOnlyDictionary<string, string> Headers, Guid MessageId, string[] Types, byte[] Body)
    {
        public string? Header(string name) => Headers.GetValueOrDefault(name);

        public Message With(string name, string value) => this with { Headers = new Dictionary<string, string>(Headers) { [name] = value } };

        public Message Without(string name) => this with { Headers = Headers.Where(x => x.Key != name).ToDictionary() };
    }

    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}

using Shop.Admin.Cli;
using Shop.Operations.DeadLetters;

namespace Shop.Admin.Tests;

public sealed class When_an_operator_types_a_filter
{
    static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("2d", 172800)]
    public void Should_read_a_short_duration(string typed, int seconds)
    {
        Assert.True(Durations.TryParse(typed, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("5x")]
    [InlineData("5m1h")]
    public void Should_reject_what_is_not_a_duration(string typed) => Assert.False(Durations.TryParse(typed, out _));

    [Theory]
    [InlineData(42, "42s")]
    [InlineData(312, "5m12s")]
    [InlineData(11_045, "3h4m")]
    [InlineData(198_000, "2d7h")]
    public void Should_print_an_age_in_its_two_largest_units(int seconds, string printed) =>
        Assert.Equal(printed, Durations.Format(TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("ChargePayment")]
    [InlineData("charge-payment")]
    [InlineData("urn:message:shop:payments:charge-payment:v1")]
    public void Should_match_a_type_in_any_spelling(string type) =>
        Assert.True(new DeadLetterFilter(MessageType: type).Matches(Letter(faultedMinutesAgo: 1), Now));

    [Fact]
    public void Should_not_match_another_type() =>
        Assert.False(new DeadLetterFilter(MessageType: "RefundPayment").Matches(Letter(faultedMinutesAgo: 1), Now));

    [Theory]
    [InlineData(6, true)]
    [InlineData(4, false)]
    public void Should_select_by_age(int faultedMinutesAgo, bool selected) =>
        Assert.Equal(selected, new DeadLetterFilter(OlderThan: TimeSpan.FromMinutes(5)).Matches(Letter(faultedMinutesAgo), Now));

    [Theory]
    [InlineData("charge-payment", true)]
    [InlineData("charge-payment_error", true)]
    [InlineData("refund-payment", false)]
    public void Should_select_by_queue_or_error_queue(string queue, bool selected) =>
        Assert.Equal(selected, new DeadLetterFilter(Queue: queue).Matches(Letter(faultedMinutesAgo: 1), Now));

    static DeadLetter Letter(int faultedMinutesAgo) => new(
        Id: Guid.NewGuid().ToString(),
        ErrorQueue: "charge-payment_error",
        SourceQueue: "charge-payment",
        MessageType: "ChargePayment",
        MessageTypes: ["urn:message:shop:payments:charge-payment:v1"],
        OrderId: Guid.NewGuid().ToString(),
        ExceptionType: "System.InvalidOperationException",
        Reason: "down",
        FaultedAt: Now.AddMinutes(-faultedMinutesAgo),
        ContentType: "application/vnd.masstransit+json",
        Headers: new Dictionary<string, string>(),
        Body: "{}");
}

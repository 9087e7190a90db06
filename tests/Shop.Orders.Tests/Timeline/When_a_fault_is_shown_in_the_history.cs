using Shop.Orders.Timeline;

namespace Shop.Orders.Tests.Timeline;

/// <summary>The order history shows a fault as its type and a short reason: no stack trace, no raw exception text.</summary>
public sealed class When_a_fault_is_shown_in_the_history
{
    [Fact]
    public void Should_give_the_type_name_and_the_first_line_cut_short()
    {
        var detail = "Npgsql.PostgresException: 23505: duplicate key value violates unique constraint \"PK_Payments\"\n" +
                     "   at Npgsql.Internal.NpgsqlConnector.ReadMessageLong(Boolean async)\n   at Shop.Payments.Consumers.ChargePaymentConsumer.Consume()";

        var summary = FaultSummary.Of(detail);

        Assert.Equal("PostgresException: 23505: duplicate key value violates unique constraint \"PK_Payments\"", summary);
    }

    [Fact]
    public void Should_cut_a_long_message_and_drop_control_characters()
    {
        var summary = FaultSummary.Of("System.InvalidOperationException", new string('x', 500) + "\u0000");

        Assert.StartsWith("InvalidOperationException: xxx", summary, StringComparison.Ordinal);
        Assert.True(summary.Length <= "InvalidOperationException: ".Length + FaultSummary.ReasonLength + 1);
        Assert.DoesNotContain('\0', summary);
    }
}

using Shop.Admin.Cli;

namespace Shop.Admin.Tests;

public sealed class When_a_table_is_printed
{
    [Fact]
    public void Should_print_one_line_per_record_in_aligned_columns_with_nothing_after_the_last()
    {
        using var output = new StringWriter();
        var reason = "InvalidOperationException: " + new string('x', 300);

        TextTable.Write(output, ["MESSAGE ID", "QUEUE", "REASON"],
        [
            ["a1", "payments-charge-payment", reason],
            ["b22", "orders", "[red]not markup[/]"],
        ]);

        var lines = output.ToString().TrimEnd().Split(Environment.NewLine);
        Assert.Equal(3, lines.Length);
        Assert.Equal("MESSAGE ID  QUEUE                    REASON", lines[0]);
        Assert.Equal($"a1          payments-charge-payment  {reason}", lines[1]);
        Assert.Equal("b22         orders                   [red]not markup[/]", lines[2]);
    }
}

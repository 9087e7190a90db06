using Shop.Admin.Cli;

namespace Shop.Admin.Tests;

public sealed class When_the_broker_is_unreachable
{
    [Fact]
    public async Task Should_say_so_and_exit_with_its_code()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await AdminCommandLine.InvokeAsync(
            ["errors", "list", "--rabbitmq", "amqp://shop:shop@127.0.0.1:1/", "--management", "http://127.0.0.1:1/"],
            new AdminConsole(new StringReader(""), output, error));

        Assert.Equal(ExitCodes.BrokerUnavailable, exitCode);
        Assert.StartsWith("error: ", error.ToString());
        Assert.Equal("", output.ToString());
    }
}

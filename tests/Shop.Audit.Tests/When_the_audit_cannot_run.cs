using Npgsql;

namespace Shop.Audit.Tests;

public sealed class When_the_audit_cannot_run
{
    [Fact]
    public async Task Should_exit_with_2_on_an_unknown_option()
    {
        var output = new StringWriter();

        var exitCode = await AuditCommand.RunAsync(["--no-such-option"], output, CancellationToken.None);

        Assert.Equal(AuditCommand.CouldNotRun, exitCode);
        Assert.Contains("Unknown option '--no-such-option'", output.ToString());
    }

    [Fact]
    public async Task Should_exit_with_2_when_a_database_does_not_exist()
    {
        var output = new StringWriter();

        var exitCode = await AuditCommand.RunAsync(["--db-prefix", $"no_such_{Guid.NewGuid():N}_"], output, CancellationToken.None);

        Assert.Equal(AuditCommand.CouldNotRun, exitCode);
        Assert.StartsWith("Could not run the audit", output.ToString());
    }

    [Fact]
    public async Task Should_map_a_database_prefix_to_every_service()
    {
        var options = AuditOptions.Parse(["--db-prefix", "shopfault_", "--rabbitmq-vhost", "shop-fault"]);

        Assert.Equal("shopfault_payments", new NpgsqlConnectionStringBuilder(options.Payments).Database);
        Assert.Equal("shopfault_notifications", new NpgsqlConnectionStringBuilder(options.Notifications).Database);
        Assert.Equal("127.0.0.1", new NpgsqlConnectionStringBuilder(options.Orders).Host);
        Assert.Equal("shop-fault", options.RabbitMqVirtualHost);
    }
}

public sealed class When_the_broker_cannot_be_read : AuditTest
{
    [Fact]
    public async Task Should_exit_with_2_when_the_management_API_does_not_answer()
    {
        var audit = await Shop.AuditAsync("--rabbitmq-url", "http://127.0.0.1:1/");

        Assert.Equal(AuditCommand.CouldNotRun, audit.ExitCode);
        Assert.Null(audit.Report);
    }

    [Fact]
    public async Task Should_exit_with_2_when_the_virtual_host_does_not_exist()
    {
        var audit = await Shop.AuditAsync("--rabbitmq-vhost", $"no-such-vhost-{Guid.NewGuid():N}");

        Assert.Equal(AuditCommand.CouldNotRun, audit.ExitCode);
        Assert.Contains("does not exist", audit.Output);
    }
}

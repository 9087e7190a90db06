using System.Text.Json;
using Shop.Admin.Cli;
using Shop.Testing;

namespace Shop.Admin.Tests;

/// <summary>
/// Runs <c>shop-admin</c> in-process, exactly as from the shell, against the test's virtual host. Shared with the
/// end-to-end tests (linked into their project).
/// </summary>
public sealed class AdminTool(TestVirtualHost virtualHost)
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string[] ConnectionArguments =>
    [
        "--rabbitmq", new UriBuilder("amqp", TestServers.RabbitMqHost, 5672, "/")
        {
            UserName = Uri.EscapeDataString(TestServers.RabbitMqUser),
            Password = Uri.EscapeDataString(TestServers.RabbitMqPassword),
        }.Uri.ToString(),
        "--vhost", virtualHost.Name,
        "--management", TestServers.RabbitMqManagement.ToString(),
    ];

    public Task<AdminRun> RunAsync(params string[] arguments) => RunTypingAsync("", arguments);

    /// <param name="typed">What the operator types at the prompt.</param>
    public async Task<AdminRun> RunTypingAsync(string typed, params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        // A re-drive re-verifies with the services' public keys and re-signs with the operator key they trust.
        string[] signing = arguments.Contains("redrive")
            ? ["--operator-key", TestSigningKeys.OperatorKeyFile, "--keys", TestSigningKeys.PublicKeyDirectory]
            : [];
        var exitCode = await AdminCommandLine.InvokeAsync([.. arguments, .. ConnectionArguments, .. signing],
            new AdminConsole(new StringReader(typed), output, error));
        return new AdminRun(exitCode, output.ToString(), error.ToString());
    }

    /// <summary><c>errors list --json</c>, in queue order.</summary>
    public async Task<IReadOnlyList<ListedMessage>> ListAsync(params string[] filter)
    {
        var run = await RunAsync(["errors", "list", "--json", .. filter]);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        return JsonSerializer.Deserialize<List<ListedMessage>>(run.Output, Json)!;
    }

    /// <summary>Waits until the error queues hold <paramref name="count"/> messages and returns them.</summary>
    public async Task<IReadOnlyList<ListedMessage>> WaitForErrorsAsync(int count)
    {
        IReadOnlyList<ListedMessage> listed = [];
        await Eventually.True(async () => (listed = await ListAsync()).Count == count, $"{count} messages in the error queues");
        return listed;
    }
}

public sealed record AdminRun(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Output}stderr:{Environment.NewLine}{Error}";
}

public sealed record ListedMessage(string Id, string Queue, string ErrorQueue, string? MessageType, string? OrderId,
    string? ExceptionType, string? Reason, DateTimeOffset? FaultedAt, long? AgeSeconds);

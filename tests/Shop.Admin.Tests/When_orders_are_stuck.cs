using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Shop.Admin.Cli;
using Shop.Testing;

namespace Shop.Admin.Tests;

/// <summary>
/// <c>orders stuck</c> against an Orders database holding the saga table and timeline as the service writes them
/// (only the columns the tool reads): open orders by age, escalated ones at any age, final ones never.
/// </summary>
public sealed class When_orders_are_stuck : IAsyncLifetime
{
    static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    readonly Guid _oldPaid = Guid.NewGuid();
    readonly Guid _youngSubmitted = Guid.NewGuid();
    readonly Guid _escalated = Guid.NewGuid();
    readonly Guid _oldCancelled = Guid.NewGuid();
    TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("shop_admin_orders");
        await _database.ExecuteAsync("""
            CREATE TABLE "OrderState" ("CorrelationId" uuid PRIMARY KEY, "CurrentState" varchar(64) NOT NULL,
                "CancellationReason" varchar(32), "UpdatedAt" timestamptz NOT NULL, "EscalatedAt" timestamptz);
            CREATE TABLE "OrderTimeline" ("OrderId" uuid, "Sequence" int, "At" timestamptz NOT NULL, "Kind" varchar(16) NOT NULL,
                "Name" varchar(100) NOT NULL, "Detail" varchar(500), PRIMARY KEY ("OrderId", "Sequence"));
            """);
        await OrderAsync(_oldPaid, "Paid", null, TimeSpan.FromMinutes(12), null, ("Transitioned", "Paid", null), ("Sent", "CreateShipment", "create-shipment"));
        await OrderAsync(_youngSubmitted, "Submitted", null, TimeSpan.FromSeconds(40), null, ("Sent", "ReserveStock", "reserve-stock"));
        await OrderAsync(_escalated, "Compensating", "ShipmentTimeout", TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(30),
            ("Faulted", "RefundPayment", "System.Exception: gateway down"));
        await OrderAsync(_oldCancelled, "Cancelled", "OutOfStock", TimeSpan.FromHours(1), null, ("Transitioned", "Cancelled", "OutOfStock"));
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Should_list_old_and_escalated_open_orders_one_a_line_and_exit_1()
    {
        var run = await RunAsync("orders", "stuck");

        Assert.True(run.ExitCode == ExitCodes.StuckOrders, run.ToString());
        var lines = run.Output.TrimEnd().Split(Environment.NewLine);
        Assert.Equal(["ORDER ID", "STATE", "AGE", "LAST TIMELINE ENTRY"], lines[0].Split("  ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith($"{_oldPaid}  Paid ", lines[1]);
        Assert.Contains(" 12m ", lines[1]);
        Assert.EndsWith("Sent CreateShipment create-shipment (12m ago)", lines[1]);
        Assert.StartsWith($"{_escalated}  Compensating (escalated)  2m ", lines[2]);
        Assert.EndsWith("Faulted RefundPayment System.Exception: gateway down (2m ago)", lines[2]);
        Assert.Equal("2 stuck orders.", lines[3]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public async Task Should_take_a_shorter_age_from_older_than()
    {
        var run = await RunAsync("orders", "stuck", "--older-than", "30s", "--json");

        Assert.True(run.ExitCode == ExitCodes.StuckOrders, run.ToString());
        using var listed = JsonDocument.Parse(run.Output);
        // Longest in its state first.
        Assert.Equal([_oldPaid, _escalated, _youngSubmitted], listed.RootElement.EnumerateArray().Select(x => x.GetProperty("orderId").GetGuid()));
        var young = listed.RootElement.EnumerateArray().Single(x => x.GetProperty("orderId").GetGuid() == _youngSubmitted);
        Assert.Equal(("Submitted", 40), (young.GetProperty("state").GetString(), young.GetProperty("ageSeconds").GetInt32()));
    }

    [Fact]
    public async Task Should_exit_0_when_none_is_stuck()
    {
        await _database.ExecuteAsync($"""UPDATE "OrderState" SET "CurrentState" = 'Cancelled', "EscalatedAt" = NULL WHERE "CorrelationId" IN ('{_oldPaid}', '{_escalated}')""");

        var run = await RunAsync("orders", "stuck");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.StartsWith("No stuck orders", run.Output);
    }

    [Fact]
    public async Task Should_say_when_the_database_is_unreachable()
    {
        var run = await RunAsync("orders", "stuck", "--orders-db", "Host=127.0.0.1;Port=1;Database=none;Username=shop;Password=shop;Timeout=2");

        Assert.Equal(ExitCodes.DatabaseUnavailable, run.ExitCode);
        Assert.StartsWith("error: ", run.Error);
    }

    [Fact]
    public async Task Should_refuse_a_duration_it_cannot_read() =>
        Assert.Equal(ExitCodes.InvalidArguments, (await RunAsync("orders", "stuck", "--older-than", "soon")).ExitCode);

    async Task<AdminRun> RunAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] database = arguments.Contains("--orders-db") ? [] : ["--orders-db", _database.ConnectionString];
        var exitCode = await AdminCommandLine.InvokeAsync([.. arguments, .. database], new AdminConsole(new StringReader(""), output, error),
            new FakeTimeProvider(Now));
        return new AdminRun(exitCode, output.ToString(), error.ToString());
    }

    async Task OrderAsync(Guid id, string state, string? reason, TimeSpan inState, TimeSpan? escalatedFor,
        params (string Kind, string Name, string? Detail)[] timeline)
    {
        var escalatedAt = escalatedFor is { } e ? $"'{Now - e:O}'" : "NULL";
        await _database.ExecuteAsync($"""
            INSERT INTO "OrderState" VALUES ('{id}', '{state}', {(reason is null ? "NULL" : $"'{reason}'")}, '{Now - inState:O}', {escalatedAt})
            """);
        foreach (var (entry, sequence) in timeline.Select((x, i) => (x, i + 1)))
        {
            await _database.ExecuteAsync($"""
                INSERT INTO "OrderTimeline" VALUES ('{id}', {sequence}, '{Now - inState:O}', '{entry.Kind}', '{entry.Name}',
                    {(entry.Detail is null ? "NULL" : $"'{entry.Detail}'")})
                """);
        }
    }
}

using System.Diagnostics;
using System.Net;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

/// <summary>
/// scripts/dev-token.sh, a client of the Identity service (here the test process's), gets what the services accept: one
/// line on stdout, the identity it was asked for.
/// </summary>
public sealed class When_a_token_comes_from_dev_token_sh(OrdersServiceFixture orders) : IClassFixture<OrdersServiceFixture>
{
    [Fact]
    public async Task Should_let_that_customer_submit_and_read_its_order()
    {
        var token = await DevTokenAsync("--customer", "script-customer");

        var orderId = await orders.SubmitOrderAsync(token: token);

        Assert.Equal("script-customer", await orders.Database.ScalarAsync<string>($"SELECT \"CustomerId\" FROM \"Orders\" WHERE \"Id\" = '{orderId}'"));
        Assert.Equal(HttpStatusCode.OK, (await orders.ClientFor(token).GetAsync($"/orders/{orderId}")).StatusCode);
    }

    [Fact]
    public async Task Should_let_an_operator_read_any_order_but_not_submit()
    {
        var token = await DevTokenAsync("--operator");
        var orderId = await orders.SubmitOrderAsync();

        Assert.Equal(HttpStatusCode.OK, (await orders.ClientFor(token).GetAsync($"/orders/{orderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), token: token)).StatusCode);
    }

    static async Task<string> DevTokenAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash", ["scripts/dev-token.sh", .. arguments])
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["SHOP_IDENTITY_URL"] = TestIdentityProvider.Authority.ToString(),
                ["SHOP_TOKEN_CLIENT"] = TestIdentityProvider.ClientId,
                ["SHOP_TOKEN_CLIENT_SECRET"] = TestIdentityProvider.SecretOf(TestIdentityProvider.ClientId),
            },
        };
        using var process = Process.Start(start)!;
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.True(process.ExitCode == 0, stderr);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return Assert.Single(lines);
    }

    static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException("Shop.sln not found above the test binaries.");
    }
}

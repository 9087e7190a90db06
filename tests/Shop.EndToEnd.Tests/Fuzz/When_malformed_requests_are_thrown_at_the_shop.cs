using System.Collections.Concurrent;
using System.Globalization;
using CsCheck;
using Shop.Testing;
using Xunit.Abstractions;

namespace Shop.EndToEnd.Tests.Fuzz;

/// <summary>
/// A property over every operation the five services' OpenAPI documents describe: thousands of generated malformed
/// requests (missing, extra and mistyped fields, numbers as strings, control characters, overlong text, non-JSON, hostile
/// ids and query values) against the real services, broker and databases. None may answer 5xx, every rejection is
/// problem details, no non-GET request is accepted, and nothing is stored: every table of every service keeps its row
/// count (the outbox too). <c>SHOP_FUZZ_ITERATIONS</c> sets the number of requests (default 1500, about half a minute).
/// </summary>
/// <remarks>
/// Its own shop (nothing else writes to its databases while it counts rows) in a collection of its own that runs alone,
/// after the others: two five-service stacks at once in one process would share meter names and the two cores.
/// </remarks>
[Collection(Name)]
public sealed class When_malformed_requests_are_thrown_at_the_shop(ShopFixture shop, ITestOutputHelper output) : IClassFixture<ShopFixture>
{
    public const string Name = "fuzz, alone";

    const string IterationsVariable = "SHOP_FUZZ_ITERATIONS";

    [Fact]
    public async Task Should_answer_each_with_a_problem_and_store_nothing()
    {
        var operations = new List<OpenApiOperation>();
        foreach (var (service, client) in new[]
                 {
                     ("Orders", shop.CustomerOrders), ("Inventory", shop.Inventory), ("Payments", shop.Payments), ("Shipping", shop.Shipping),
                     ("Notifications", shop.Notifications),
                 })
            operations.AddRange(await OpenApiOperations.ReadAsync(service, client));
        Assert.Contains(operations, x => x.PathTemplate == "/orders" && x.BodySchema is not null);
        Assert.Contains(operations, x => x.PathTemplate == "/products/{sku}" && x.Method == HttpMethod.Put && x.BodySchema is not null);
        Assert.Contains(operations, x => x.PathTemplate == "/notifications" && x.QueryParameters.Contains("orderId"));

        // Let start-up work settle (the catalog request, its outbox rows) before counting.
        await Eventually.True(async () => await RowCountsAsync() is var first && (await Task.Delay(500).ContinueWith(_ => RowCountsAsync()).Unwrap())
            .SequenceEqual(first), "the databases are quiet");
        var before = await RowCountsAsync();

        var iterations = int.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), CultureInfo.InvariantCulture, out var n) ? n : 1500;
        var seen = new ConcurrentDictionary<string, int>();
        MalformedRequests.Cases(operations.Count).Sample(fuzz =>
        {
            var operation = operations[fuzz.Operation];
            var request = MalformedRequests.Build(operation, fuzz, out var description);
            var (status, mediaType, body) = FuzzClient.SendAsync(operation.Client, request).GetAwaiter().GetResult();
            seen.AddOrUpdate($"{operation} {status}", 1, (_, count) => count + 1);

            Assert.True(status < 500, $"{status} for {description}: {body}");
            if (operation.Method != HttpMethod.Get)
                Assert.True(status is >= 400 and < 500, $"{status} (accepted) for {description}");
            if (status >= 400)
                Assert.True(mediaType == "application/problem+json", $"{status} as {mediaType ?? "no content type"} for {description}: {body}");
        }, iter: iterations, threads: 4, print: fuzz => $"{fuzz}");

        foreach (var (answer, count) in seen.OrderBy(x => x.Key, StringComparer.Ordinal))
            output.WriteLine($"{count,6}  {answer}");

        var after = await RowCountsAsync();
        Assert.Equal(before, after);
        // Every operation was hit, and rejected more ways than one.
        Assert.All(operations, operation => Assert.Contains(seen.Keys, key => key.StartsWith($"{operation} ", StringComparison.Ordinal)));
    }

    /// <summary>"service.table count" for every table of every service's database, in a stable order.</summary>
    async Task<List<string>> RowCountsAsync()
    {
        var counts = new List<string>();
        foreach (var (service, database) in shop.Databases.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            var tables = (await database.ScalarAsync<string>(
                "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables " +
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> '__EFMigrationsHistory'"))!.Split(',');
            foreach (var table in tables)
                counts.Add($"{service}.{table} {await database.ScalarAsync<long>($"SELECT count(*) FROM \"{table}\"")}");
        }

        return counts;
    }
}

[CollectionDefinition(When_malformed_requests_are_thrown_at_the_shop.Name, DisableParallelization = true)]
public sealed class FuzzCollection;

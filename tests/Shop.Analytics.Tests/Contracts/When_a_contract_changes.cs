using System.Text.Json;
using System.Text.Json.Nodes;

namespace Shop.Analytics.Tests.Contracts;

/// <summary>
/// Every message contract has a committed JSON schema per version. A contract whose schema changed under the same
/// version must stay FULL compatible with its snapshot (only optional additions); anything else needs a new version
/// (a new record with the next URN, docs/architecture.md#contract-versions). Each message's versions are
/// BACKWARD_TRANSITIVE: the newest reader reads everything ever written — what Analytics' log, kept forever, needs.
/// </summary>
public sealed class When_a_contract_changes
{
    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public void Should_match_its_committed_schema_or_change_compatibly()
    {
        var update = Environment.GetEnvironmentVariable("SHOP_UPDATE_SCHEMAS") == "1";
        var problems = new List<string>();
        foreach (var contract in ContractSchemas.Contracts)
        {
            var (name, version) = ContractSchemas.NameOf(contract);
            var generated = ContractSchemas.Generate(contract);
            var snapshot = ContractSchemas.Snapshot(name, version);
            if (snapshot is not null && !JsonNode.DeepEquals(snapshot, generated))
                problems.AddRange(SchemaCompatibility.Check(snapshot, generated, Compatibility.Full).Select(x => $"{contract.Name} ({name} v{version}) {x}"));
            if (update)
                File.WriteAllText(ContractSchemas.FileOf(contract), generated.ToJsonString(Indented) + "\n");
            else if (snapshot is null)
                problems.Add($"{contract.Name}: no committed schema (run with SHOP_UPDATE_SCHEMAS=1 and commit it)");
        }

        Assert.True(problems.Count == 0,
            "Incompatible contract changes without a new version (add a record with the next URN instead):\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Should_read_every_earlier_version_with_the_newest()
    {
        var problems = ContractSchemas.Contracts.Select(ContractSchemas.NameOf).Select(x => x.Name).Distinct()
            .SelectMany(name => ContractSchemas.History(name) is { Count: > 1 } history
                ? SchemaCompatibility.CheckTransitive(history.Select(x => x.Schema).ToList()[..^1], history[^1].Schema, Compatibility.Backward)
                    .Select(x => $"{name}: {x}")
                : [])
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(2, ContractSchemas.History("shop.orders.order-submitted").Count);
    }

    [Fact]
    public void Should_catch_a_deliberately_broken_contract()
    {
        var snapshot = ContractSchemas.Snapshot("shop.orders.order-cancelled", 1)!;
        // A change someone might make in place: the reason becomes a number, and a new required field appears.
        var broken = snapshot.DeepClone().AsObject();
        broken["properties"]!["reason"] = new JsonObject { ["type"] = "integer" };
        broken["properties"]!["refundId"] = new JsonObject { ["type"] = "string" };
        broken["required"]!.AsArray().Add("refundId");

        var problems = SchemaCompatibility.Check(snapshot, broken, Compatibility.Full);

        Assert.Contains(problems, x => x.StartsWith("BACKWARD", StringComparison.Ordinal) && x.Contains("$.refundId", StringComparison.Ordinal));
        Assert.Contains(problems, x => x.StartsWith("BACKWARD", StringComparison.Ordinal) && x.Contains("$.reason", StringComparison.Ordinal));
        Assert.Contains(problems, x => x.StartsWith("FORWARD", StringComparison.Ordinal) && x.Contains("$.reason", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_accept_an_optional_addition_both_ways()
    {
        var snapshot = ContractSchemas.Snapshot("shop.orders.order-cancelled", 1)!;
        var added = snapshot.DeepClone().AsObject();
        added["properties"]!["note"] = new JsonObject { ["type"] = new JsonArray("string", "null") };

        Assert.Empty(SchemaCompatibility.Check(snapshot, added, Compatibility.Full));
    }

    [Fact]
    public void Should_find_version_2_of_the_submission_unreadable_by_a_version_1_reader()
    {
        // v2 dropped the payment token a v1 reader requires: FORWARD-incompatible, hence a new version, not an edit.
        var v1 = ContractSchemas.Snapshot("shop.orders.order-submitted", 1)!;
        var v2 = ContractSchemas.Snapshot("shop.orders.order-submitted", 2)!;

        Assert.Contains(SchemaCompatibility.Check(v1, v2, Compatibility.Forward), x => x.Contains("$.paymentToken", StringComparison.Ordinal));
        Assert.Empty(SchemaCompatibility.Check(v1, v2, Compatibility.Backward));
    }
}

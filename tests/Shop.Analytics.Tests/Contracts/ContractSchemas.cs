using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using MassTransit;
using Shop.Contracts;

namespace Shop.Analytics.Tests.Contracts;

/// <summary>
/// The JSON schema of every message contract as it travels (System.Text.Json, camelCase: MassTransit's serializer),
/// generated from the C# records with <see cref="JsonSchemaExporter"/>; and the committed snapshots, one per URN
/// (<c>shop.orders.order-submitted.v2.json</c>), under Contracts/Schemas. <c>SHOP_UPDATE_SCHEMAS=1</c> rewrites them.
/// </summary>
public static class ContractSchemas
{
    static readonly JsonSerializerOptions Wire = new(JsonSerializerDefaults.Web)
    {
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
        TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
    };

    public static readonly string SnapshotFolder = Path.Combine(Testing.ServiceUsers.RepositoryRoot, "tests", "Shop.Analytics.Tests", "Contracts", "Schemas");

    public static IEnumerable<Type> Contracts => typeof(MessageSenders).Assembly.GetExportedTypes()
        .Where(type => type.GetCustomAttribute<MessageUrnAttribute>() is not null)
        .OrderBy(type => type.Name, StringComparer.Ordinal);

    /// <summary><c>shop:orders:order-submitted:v2</c> → (shop.orders.order-submitted, 2).</summary>
    public static (string Name, int Version) NameOf(Type contract)
    {
        var urn = contract.GetCustomAttribute<MessageUrnAttribute>()!.Urn.ToString().Replace("urn:message:", "", StringComparison.Ordinal);
        var at = urn.LastIndexOf(":v", StringComparison.Ordinal);
        return (urn[..at].Replace(':', '.'), int.Parse(urn[(at + 2)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public static string FileOf(Type contract) => FileOf(NameOf(contract).Name, NameOf(contract).Version);

    public static string FileOf(string name, int version) => Path.Combine(SnapshotFolder, $"{name}.v{version}.json");

    public static JsonObject Generate(Type contract) =>
        JsonSchemaExporter.GetJsonSchemaAsNode(Wire, contract, new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true }).AsObject();

    public static JsonObject? Snapshot(string name, int version) =>
        File.Exists(FileOf(name, version)) ? JsonNode.Parse(File.ReadAllText(FileOf(name, version)))!.AsObject() : null;

    /// <summary>Every committed version of a message, oldest first.</summary>
    public static IReadOnlyList<(int Version, JsonObject Schema)> History(string name) => Directory.GetFiles(SnapshotFolder, $"{name}.v*.json")
        .Select(file => (Version: int.Parse(Path.GetFileNameWithoutExtension(file)[(name.Length + 2)..], System.Globalization.CultureInfo.InvariantCulture),
            Schema: JsonNode.Parse(File.ReadAllText(file))!.AsObject()))
        .OrderBy(x => x.Version)
        .ToList();
}

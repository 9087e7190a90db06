using System.Text.Json;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// Each service's OpenAPI document declares the bearer scheme and, on every operation, the requirement of it — what
/// Redocly's <c>security-defined</c> rule checks.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class When_the_api_documents_are_read(ShopFixture shop)
{
    public static TheoryData<string> Services => ["Orders", "Payments", "Inventory", "Shipping", "Notifications"];

    [Theory]
    [MemberData(nameof(Services))]
    public async Task Should_declare_bearer_security_on_every_operation(string service)
    {
        using var http = new HttpClient { BaseAddress = ClientOf(service).BaseAddress };
        using var document = JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
        var root = document.RootElement;

        var scheme = root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());

        var operations = root.GetProperty("paths").EnumerateObject()
            .Where(path => !path.Name.StartsWith("/health", StringComparison.Ordinal))
            .SelectMany(path => path.Value.EnumerateObject().Select(operation => (Name: $"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Value)))
            .ToList();
        Assert.NotEmpty(operations);
        Assert.All(operations, operation =>
        {
            Assert.True(operation.Value.TryGetProperty("security", out var security), $"{service}: {operation.Name} declares no security");
            Assert.Contains(security.EnumerateArray(), requirement => requirement.TryGetProperty("Bearer", out _));
            Assert.True(operation.Value.GetProperty("responses").TryGetProperty("401", out _), $"{service}: {operation.Name} documents no 401");
        });
    }

    HttpClient ClientOf(string service) => service switch
    {
        "Payments" => shop.Payments,
        "Shipping" => shop.Shipping,
        "Notifications" => shop.Notifications,
        "Inventory" => shop.Inventory,
        _ => shop.Orders,
    };
}

using System.Text.Json;

namespace Shop.Orders.Apis;

/// <summary>Turns a JSON parse failure into a validation error on the field it happened at (<c>items[0].quantity</c>).</summary>
static class JsonErrors
{
    public static Dictionary<string, string[]> Describe(JsonException exception)
    {
        var field = exception.Path?.TrimStart('$').TrimStart('.') is { Length: > 0 } path ? path : "body";
        return new Dictionary<string, string[]> { [field] = [exception.Message] };
    }
}

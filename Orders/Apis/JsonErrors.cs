using System.Text.Json;
using Shop.ServiceDefaults;

namespace Shop.Orders.Apis;

/// <summary>Turns a JSON parse failure into a validation error on the field it happened at (<c>items[0].quantity</c>).</summary>
static class JsonErrors
{
    public static Dictionary<string, string[]> Describe(JsonException exception)
    {
        var errors = JsonBodies.Describe(exception);
        // The one unknown field a client is likely to send on purpose: say why it is refused.
        foreach (var field in errors.Keys.Where(x => x.EndsWith(".unitPrice", StringComparison.OrdinalIgnoreCase)).ToList())
            errors[field] = ["Not accepted: every line is priced from the catalog; send only sku and quantity."];
        return errors;
    }
}

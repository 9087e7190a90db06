using System.Diagnostics.CodeAnalysis;
using System.Net.Mail;
using Shop.Contracts;
using Shop.Orders.Domain;
using Shop.ServiceDefaults;

namespace Shop.Orders.Apis;

/// <summary>An order that passed validation, normalized (trimmed, SKUs and country upper-cased), not priced yet.</summary>
public sealed record ValidOrder(
    string CustomerId,
    string Email,
    IReadOnlyList<RequestedLine> Lines,
    string PaymentToken,
    ShippingAddress ShippingAddress);

/// <summary>A line as the customer asked for it; the price comes from the catalog.</summary>
public sealed record RequestedLine(string Sku, int Quantity);

/// <summary>Checks a <see cref="SubmitOrderRequest"/> and names every bad field (<c>items[0].quantity</c>).</summary>
public static class SubmitOrderValidator
{
    /// <param name="customerId">Whose order it is: the token's subject, never the body.</param>
    public static bool TryValidate(SubmitOrderRequest request, string customerId, [NotNullWhen(true)] out ValidOrder? order,
        out Dictionary<string, string[]> errors)
    {
        var found = new Dictionary<string, List<string>>();
        void Fail(string field, string message)
        {
            if (!found.TryGetValue(field, out var messages))
                found[field] = messages = [];
            messages.Add(message);
        }

        var email = Required(request.Email, "email", OrderLimits.EmailLength, Fail);
        if (email is not null && !IsEmail(email))
            Fail("email", "Must be an email address.");
        var paymentToken = Required(request.PaymentToken, "paymentToken", OrderLimits.PaymentTokenLength, Fail);
        var lines = ValidateItems(request.Items, Fail);
        var address = ValidateAddress(request.ShippingAddress, Fail);

        errors = found.ToDictionary(x => x.Key, x => x.Value.ToArray());
        order = errors.Count == 0 ? new ValidOrder(customerId, email!, lines!, paymentToken!, address!) : null;
        return order is not null;
    }

    static List<RequestedLine>? ValidateItems(IReadOnlyList<SubmitOrderItem?>? items, Action<string, string> fail)
    {
        switch (items)
        {
            case null:
                fail("items", "Required.");
                return null;
            case []:
                fail("items", "At least one item is required.");
                return null;
            case { Count: > OrderLimits.MaxLines }:
                fail("items", $"At most {OrderLimits.MaxLines} items.");
                return null;
        }

        var lines = new List<RequestedLine>(items.Count);
        var skus = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"items[{i}]";
            if (items[i] is not { } item)
            {
                fail(field, "Required.");
                continue;
            }

            string? sku = null;
            if (!Skus.TryNormalize(item.Sku, out var normalized, out var skuError))
                fail($"{field}.sku", skuError);
            else
                sku = normalized;
            if (sku is not null && !skus.Add(sku))
                fail($"{field}.sku", "Each SKU may appear once; add up the quantities instead.");

            if (item.Quantity is not { } quantity)
                fail($"{field}.quantity", "Required.");
            else if (quantity is < OrderLimits.MinQuantity or > OrderLimits.MaxQuantity)
                fail($"{field}.quantity", $"Must be between {OrderLimits.MinQuantity} and {OrderLimits.MaxQuantity}.");

            if (sku is not null && item.Quantity is { } q)
                lines.Add(new RequestedLine(sku, q));
        }

        return lines;
    }

    static ShippingAddress? ValidateAddress(SubmitShippingAddress? address, Action<string, string> fail)
    {
        if (address is null)
        {
            fail("shippingAddress", "Required.");
            return null;
        }

        var line1 = Required(address.Line1, "shippingAddress.line1", OrderLimits.AddressLineLength, fail);
        var city = Required(address.City, "shippingAddress.city", OrderLimits.CityLength, fail);
        var postalCode = Required(address.PostalCode, "shippingAddress.postalCode", OrderLimits.PostalCodeLength, fail);
        var country = Required(address.Country, "shippingAddress.country", 2, fail)?.ToUpperInvariant();
        if (country is not null && !CountryCodes.IsAssigned(country))
        {
            fail("shippingAddress.country", "Must be an ISO 3166-1 alpha-2 country code, e.g. DE.");
            country = null;
        }

        return line1 is null || city is null || postalCode is null || country is null
            ? null
            : new ShippingAddress(line1, city, postalCode, country);
    }

    /// <summary>The trimmed value, or null after reporting why it is missing, too long or not text (control characters).</summary>
    static string? Required(string? value, string field, int maxLength, Action<string, string> fail)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            fail(field, "Required.");
            return null;
        }

        if (InputText.Problem(trimmed, maxLength) is { } problem)
        {
            fail(field, problem);
            return null;
        }

        return trimmed;
    }

    static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var address)
        && address.Address == value
        && address.Host.Contains('.', StringComparison.Ordinal)
        && !address.Host.EndsWith('.');
}

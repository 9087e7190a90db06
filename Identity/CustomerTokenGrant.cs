namespace Shop.Identity;

/// <summary>
/// A token endpoint grant of our own: a confidential client allowed to (<see cref="IdentityClient.CustomerTokens"/>)
/// obtains a customer's access token for the id in <see cref="CustomerIdParameter"/> — one request per customer,
/// instead of a seeded user and a sign-in each (the load test runs thousands of customers).
/// </summary>
public static class CustomerTokenGrant
{
    public const string Type = "urn:shop:grant-type:customer";
    public const string CustomerIdParameter = "customer_id";

    /// <summary>The longest customer id Orders stores.</summary>
    public const int MaxCustomerIdLength = 64;

    public static bool IsValidCustomerId(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= MaxCustomerIdLength && !id.Any(char.IsControl) && id.Trim() == id;
}

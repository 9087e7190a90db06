namespace Shop.Identity.Data;

/// <summary>A person who signs in with a password (seeded from <see cref="IdentityProviderOptions.Users"/>).</summary>
public sealed class ShopUser
{
    public required string Name { get; set; }
    public required string Subject { get; set; }
    public required string Role { get; set; }
    public required string PasswordHash { get; set; }
}

namespace Shop.ServiceDefaults.Identity;

/// <summary>
/// What a Shop access token carries, as the Identity service issues it and every service reads it: the audience
/// <see cref="Audience"/>, the subject in <see cref="Subject"/> (a customer's id, an operator's or a client's name) and
/// one of <see cref="ShopRoles"/> in <see cref="Role"/>.
/// </summary>
public static class ShopClaims
{
    public const string Audience = "shop";
    public const string Role = "role";
    public const string Subject = "sub";
}

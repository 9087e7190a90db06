namespace Shop.ServiceDefaults.Identity;

/// <summary>The local Identity service (scripts/local-up.sh, docker compose): port base + 8, one fixed issuer.</summary>
public static class LocalIdentity
{
    /// <summary>The issuer of every local token, trailing slash included (tokens name it; JwtBearer compares it exactly).</summary>
    public const string Authority = "http://127.0.0.1:8088/";
}

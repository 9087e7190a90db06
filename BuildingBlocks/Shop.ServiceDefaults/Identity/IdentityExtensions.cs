using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Shop.ServiceDefaults.Identity;

/// <summary>
/// JWT bearer authentication, the customer/operator policies (anything not marked otherwise is operator-only) and the
/// rate limiter's 429 answer, shared by every service.
/// </summary>
public static class IdentityExtensions
{
    /// <summary>HS256 needs a key of at least 256 bits.</summary>
    const int MinimumKeyBytes = 32;

    public static WebApplicationBuilder AddShopIdentity(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section))
            .Validate(options => !string.IsNullOrWhiteSpace(options.Authority) || !string.IsNullOrWhiteSpace(options.SigningKey),
                "No way to check bearer tokens: set Auth:Authority (and Auth:Audience) to your OpenID Connect provider, or, for " +
                "local development and tests only, Auth:SigningKey (scripts/local-up.sh sets one). See docs/configuration.md.")
            .Validate(options => !string.IsNullOrWhiteSpace(options.Authority) || options.SigningKeyBytes() is null or { Length: >= MinimumKeyBytes },
                $"Auth:SigningKey must be base64 of at least {MinimumKeyBytes} random bytes (openssl rand -base64 32).")
            .Validate(options => !string.IsNullOrWhiteSpace(options.Audience), "Auth:Audience is required.")
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>>((jwt, auth) => ConfigureJwt(jwt, auth.Value));

        // Secure by default: an endpoint that names no policy (stock, products, payments, …) is for operators. Routing's
        // own answers (415 for a wrong content type, 405, 404 for no endpoint) run no Shop code: any valid token hears them.
        var fallback = new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .RequireAssertion(context => context.User.IsInRole(ShopRoles.Operator)
                || context.Resource is HttpContext http && http.GetEndpoint() is not RouteEndpoint)
            .Build();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ShopPolicies.Operator, policy => policy.RequireRole(ShopRoles.Operator))
            .AddPolicy(ShopPolicies.Customer, policy => policy.RequireRole(ShopRoles.Customer).RequireClaim(LocalTokens.SubjectClaim))
            .AddPolicy(ShopPolicies.CustomerOrOperator, policy => policy.RequireRole(ShopRoles.Customer, ShopRoles.Operator))
            .SetFallbackPolicy(fallback);

        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = WriteTooManyRequests;
        });
        return builder;
    }

    /// <summary>After the status pages (so 401/403 become problem details) and before the endpoints.</summary>
    public static WebApplication UseShopIdentity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>The token's subject: the customer id of a customer, the operator's name of an operator.</summary>
    public static string? Subject(this ClaimsPrincipal user) => user.FindFirstValue(LocalTokens.SubjectClaim);

    public static bool IsOperator(this ClaimsPrincipal user) => user.IsInRole(ShopRoles.Operator);

    static void ConfigureJwt(JwtBearerOptions jwt, AuthOptions auth)
    {
        // Claims keep their JWT names (sub, role) instead of being renamed to WS-* URIs.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.NameClaimType = LocalTokens.SubjectClaim;
        jwt.TokenValidationParameters.RoleClaimType = auth.RoleClaim;
        jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
        jwt.Audience = auth.Audience;
        jwt.TokenValidationParameters.ValidAudience = auth.Audience;

        if (!string.IsNullOrWhiteSpace(auth.Authority))
        {
            jwt.Authority = auth.Authority;
            jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
            return;
        }

        if (auth.SigningKeyBytes() is { Length: >= MinimumKeyBytes } key)
        {
            jwt.TokenValidationParameters.ValidIssuer = auth.Issuer;
            jwt.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(key);
            jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
        }
    }

    static async ValueTask WriteTooManyRequests(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var http = context.HttpContext;
        var detail = "Too many requests; try again later.";
        if (context.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retryAfter))
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            detail = $"Too many requests; try again in {seconds} s.";
        }

        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = "Too many requests", Detail = detail },
        });
    }
}

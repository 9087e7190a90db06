using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Shop.ServiceDefaults.Identity;

/// <summary>
/// JWT bearer authentication, the customer/operator policies (anything not marked otherwise is operator-only) and the
/// rate limiter's 429 answer, shared by every service.
/// </summary>
public static class IdentityExtensions
{
    public static WebApplicationBuilder AddShopIdentity(this WebApplicationBuilder builder)
    {
        var authOptions = builder.Services.AddOptions<AuthOptions>()
            .Bind(builder.Configuration.GetSection(AuthOptions.Section));
        // `dotnet run` of one service in Development finds the local Identity service without more settings; every other
        // environment names its provider.
        if (builder.Environment.IsDevelopment() && string.IsNullOrWhiteSpace(builder.Configuration[$"{AuthOptions.Section}:Authority"]))
            authOptions.Configure(auth => (auth.Authority, auth.RequireHttpsMetadata) = (LocalIdentity.Authority, false));
        authOptions
            .Validate(options => !string.IsNullOrWhiteSpace(options.Authority),
                "No way to check bearer tokens: set Auth:Authority to the OpenID Connect provider (locally the Identity service, " +
                "http://127.0.0.1:8088/, which scripts/local-up.sh starts first). See docs/configuration.md.")
            .Validate(options => string.IsNullOrWhiteSpace(options.SigningKey),
                "Auth:SigningKey is no longer supported: no service accepts locally signed tokens any more. Remove it and set " +
                "Auth:Authority to the OpenID Connect provider (docs/security.md#identities).")
            .Validate(options => !options.UsesPlainHttp() || !options.RequireHttpsMetadata,
                "Auth:Authority (or Auth:MetadataAddress) is plain HTTP: set Auth:RequireHttpsMetadata=false, for a provider on " +
                "loopback or a private compose network only.")
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
            .AddPolicy(ShopPolicies.Customer, policy => policy.RequireRole(ShopRoles.Customer).RequireClaim(ShopClaims.Subject))
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
    public static string? Subject(this ClaimsPrincipal user) => user.FindFirstValue(ShopClaims.Subject);

    public static bool IsOperator(this ClaimsPrincipal user) => user.IsInRole(ShopRoles.Operator);

    static void ConfigureJwt(JwtBearerOptions jwt, AuthOptions auth)
    {
        // Claims keep their JWT names (sub, role) instead of being renamed to WS-* URIs.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters.NameClaimType = ShopClaims.Subject;
        jwt.TokenValidationParameters.RoleClaimType = auth.RoleClaim;
        jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
        jwt.Audience = auth.Audience;
        jwt.TokenValidationParameters.ValidAudience = auth.Audience;

        jwt.Authority = auth.Authority;
        if (!string.IsNullOrWhiteSpace(auth.MetadataAddress))
            jwt.MetadataAddress = auth.MetadataAddress;
        jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata;
        // Tokens are ES256-signed by the provider's published keys (JWKS); nothing symmetric is ever accepted.
        jwt.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256, SecurityAlgorithms.RsaSha256];
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

using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Shop.Data;
using Shop.Identity.Apis;
using Shop.Identity.Data;
using Shop.Identity.Hosting;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Shop.Identity;

public static class IdentityServiceExtensions
{
    /// <summary>The cookie of a person signed in on the sign-in page; named apart from any other app's on 127.0.0.1.</summary>
    public const string CookieScheme = "Shop.Identity";

    public const string SignInRateLimit = "sign-in";

    public static WebApplicationBuilder AddIdentityServices(this WebApplicationBuilder builder)
    {
        builder.AddShopDbContext<IdentityDbContext, IdentityPostgresDbContext, IdentitySqlServerDbContext>("Identity");
        builder.Services.TryAddSingleton(TimeProvider.System);

        // Read here as well as bound: the keys and flows are fixed while the container is built.
        var settings = builder.Configuration.GetSection(IdentityProviderOptions.Section).Get<IdentityProviderOptions>() ?? new();
        builder.Services.AddOptions<IdentityProviderOptions>().Bind(builder.Configuration.GetSection(IdentityProviderOptions.Section))
            .Validate(options => options.Issuer is not null || builder.Environment.IsDevelopment(),
                "Identity:Issuer is required: the one address every token names (http://127.0.0.1:8088/ locally).")
            .Validate(options => options.Issuer is null || options.Issuer.IsAbsoluteUri && options.Issuer.AbsolutePath.EndsWith('/'),
                "Identity:Issuer must be an absolute URI ending in '/' (services compare it exactly).")
            .Validate(options => options.Issuer is not { Scheme: "http" } issuer || IsLoopback(issuer),
                "Identity:Issuer may be plain HTTP only on a loopback address (local development, tests, compose).")
            .Validate(options => options.Clients.All(x => x.ClientId.Length > 0), "Identity:Clients: every client needs a ClientId.")
            .Validate(options => options.Users.All(x => x.Name.Length is > 0 and <= IdentityDbContext.NameLength),
                "Identity:Users: every user needs a Name of at most 64 characters.")
            .ValidateOnStart();

        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityDbContext>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(ConnectApi.AuthorizePath)
                    .SetTokenEndpointUris(ConnectApi.TokenPath)
                    .SetEndSessionEndpointUris(ConnectApi.EndSessionPath);
                server.AllowClientCredentialsFlow()
                    .AllowAuthorizationCodeFlow()
                    .RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowCustomFlow(CustomerTokenGrant.Type);
                server.RegisterScopes(Scopes.OpenId, Scopes.OfflineAccess, IdentitySeeder.ShopScope);
                server.SetAccessTokenLifetime(settings.AccessTokenLifetime);
                if (settings.Issuer is not null)
                    server.SetIssuer(settings.Issuer);

                AddKeys(server, settings, builder.Environment, DatabaseMigrations.Requested(builder.Configuration));
                // Plain JWTs: the services check them with nothing but the published keys (JWKS).
                server.DisableAccessTokenEncryption();

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough();
                // Plain HTTP only where the issuer is (validated: loopback, or Development without an issuer).
                if (settings.Issuer is null or { Scheme: "http" })
                    aspNetCore.DisableTransportSecurityRequirement();
            });

        builder.Services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = CookieScheme;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.LoginPath = AccountApi.SignInPath;
            cookie.ReturnUrlParameter = AccountApi.ReturnUrlField;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(1);
            cookie.SlidingExpiration = false;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery(antiforgery => antiforgery.Cookie.Name = "Shop.Identity.Antiforgery");
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = context.RequestServices.GetRequiredService<IOptions<IdentityProviderOptions>>().Value.SignInAttemptsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                }));
        });

        // After the migrations (AddShopDbContext registered them first): hosted services start in order.
        builder.Services.AddHostedService<IdentitySeeder>();
        builder.Services.AddHostedService<TokenPruner>();
        return builder;
    }

    static void AddKeys(OpenIddictServerBuilder server, IdentityProviderOptions settings, IHostEnvironment environment, bool migrateOnly)
    {
        if (settings.KeyDirectory is { Length: > 0 } directory)
        {
            var keys = IdentityKeys.Load(directory);
            server.AddSigningKey(keys.Signing).AddEncryptionKey(keys.Encryption);
            return;
        }

        // A --migrate run issues no token: it needs the migration identity only, never the provider's keys.
        if (!environment.IsDevelopment() && !migrateOnly)
            throw new InvalidOperationException("Identity:KeyDirectory is required outside Development: it holds the signing and " +
                "encryption keys (bash scripts/dev-keys.sh generates them locally into .run/identity).");

        // Development without keys (or a --migrate run): fresh ones per process, so every token dies with it.
        server.AddEphemeralSigningKey(Microsoft.IdentityModel.Tokens.SecurityAlgorithms.EcdsaSha256).AddEphemeralEncryptionKey();
    }

    static bool IsLoopback(Uri uri) => uri.IsLoopback || IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address);
}

using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Shop.ServiceDefaults.Identity;

namespace Shop.Console.Auth;

/// <summary>
/// Who may use the console: an operator who signed in at the identity provider (OpenID Connect authorization code + PKCE,
/// then a cookie of the console's own that ends when the access token does), or a caller sending an operator's bearer
/// token in <c>Authorization</c> (checked as every service checks it). Every page is operator-only through the fallback
/// policy of the service defaults; a token never travels in a URL.
/// </summary>
public static class ConsoleSignIn
{
    /// <summary>Picks the bearer scheme for a request with a bearer token, the cookie otherwise.</summary>
    public const string Scheme = "Shop.Console.Caller";

    /// <summary>Also the cookie's name: cookies are not isolated by port on 127.0.0.1, Identity's is <c>Shop.Identity</c>.</summary>
    public const string CookieScheme = "Shop.Console";

    public const string OidcScheme = "Shop.Console.Oidc";

    public static WebApplicationBuilder AddConsoleSignIn(this WebApplicationBuilder builder)
    {
        // The service defaults registered the bearer scheme and the operator-only fallback policy; the default scheme
        // becomes the selector below.
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = Scheme;
                options.DefaultChallengeScheme = Scheme;
                options.DefaultForbidScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Bearer token or signed-in operator", policy => policy.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : CookieScheme)
            .AddCookie(CookieScheme, cookie =>
            {
                cookie.Cookie.Name = CookieScheme;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                // Never longer than the access token (the sign-in sets ExpiresUtc to its expiry); this is the upper bound.
                cookie.ExpireTimeSpan = TimeSpan.FromMinutes(15);
                cookie.SlidingExpiration = false;
                cookie.ForwardChallenge = OidcScheme;
                cookie.Events.OnRedirectToAccessDenied = context =>
                {
                    // A signed-in customer: 403, not a redirect to a page that does not exist.
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect(OidcScheme, "Identity", oidc =>
            {
                oidc.SignInScheme = CookieScheme;
                oidc.ResponseType = OpenIdConnectResponseType.Code;
                // Back by a top-level GET: the correlation and nonce cookies (SameSite=Lax) come with it.
                oidc.ResponseMode = OpenIdConnectResponseMode.Query;
                oidc.UsePkce = true;
                oidc.Scope.Clear();
                oidc.Scope.Add(OpenIdConnectScope.OpenId);
                oidc.Scope.Add(ShopClaims.Audience);
                // The access token stays in the (encrypted) cookie: the console calls Orders with it, as the operator, to
                // write an operator action into an order's timeline.
                oidc.SaveTokens = true;
                oidc.GetClaimsFromUserInfoEndpoint = false;
                // Claims keep their JWT names, as in the services (role, sub); a renamed role claim fails IsInRole silently.
                oidc.MapInboundClaims = false;
                oidc.TokenValidationParameters.NameClaimType = "name";
                oidc.CorrelationCookie.SameSite = SameSiteMode.Lax;
                oidc.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.NonceCookie.SameSite = SameSiteMode.Lax;
                oidc.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                oidc.Events.OnRedirectToIdentityProvider = context =>
                {
                    // htmx's background refresh cannot follow a redirect to another origin: ask it to reload the page.
                    if (context.Request.Headers.ContainsKey("HX-Request"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        context.Response.Headers["HX-Refresh"] = "true";
                        context.HandleResponse();
                        return Task.CompletedTask;
                    }
                    context.ProtocolMessage.IssuerAddress = AsTheBrowserSeesIt(context.HttpContext, context.ProtocolMessage.IssuerAddress);
                    return Task.CompletedTask;
                };
                oidc.Events.OnRedirectToIdentityProviderForSignOut = context =>
                {
                    context.ProtocolMessage.IssuerAddress = AsTheBrowserSeesIt(context.HttpContext, context.ProtocolMessage.IssuerAddress);
                    return Task.CompletedTask;
                };
                oidc.Events.OnTokenResponseReceived = context =>
                {
                    // The cookie lives no longer than the access token it stands for.
                    if (int.TryParse(context.TokenEndpointResponse.ExpiresIn, out var seconds) && seconds > 0)
                    {
                        context.Properties!.ExpiresUtc = DateTimeOffset.UtcNow.AddSeconds(seconds);
                        context.Properties.AllowRefresh = false;
                    }
                    return Task.CompletedTask;
                };
            });

        builder.Services.AddOptions<OpenIdConnectOptions>(OidcScheme)
            .Configure<IOptions<AuthOptions>, IOptions<ConsoleOptions>>((oidc, auth, console) =>
            {
                oidc.Authority = auth.Value.Authority;
                if (!string.IsNullOrWhiteSpace(auth.Value.MetadataAddress))
                    oidc.MetadataAddress = auth.Value.MetadataAddress;
                oidc.RequireHttpsMetadata = auth.Value.RequireHttpsMetadata;
                oidc.ClientId = console.Value.ClientId;
                oidc.TokenValidationParameters.RoleClaimType = auth.Value.RoleClaim;
            });
        return builder;
    }

    /// <summary>
    /// The provider's discovery document names its endpoints by the host it was asked on: in docker compose that is
    /// <c>identity:8088</c> (<c>Auth:MetadataAddress</c>), which no browser can resolve. The browser is sent to the
    /// issuer's own host (<c>Auth:Authority</c>, 127.0.0.1:8088) instead; the code is still redeemed over the network.
    /// </summary>
    static string AsTheBrowserSeesIt(HttpContext context, string address)
    {
        var auth = context.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value;
        if (string.IsNullOrWhiteSpace(auth.MetadataAddress) || auth.Authority is null
            || !Uri.TryCreate(auth.Authority, UriKind.Absolute, out var issuer) || !Uri.TryCreate(address, UriKind.Absolute, out var endpoint))
            return address;
        return new UriBuilder(endpoint) { Scheme = issuer.Scheme, Host = issuer.Host, Port = issuer.Port }.Uri.ToString();
    }
}

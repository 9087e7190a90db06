using System.Collections.Immutable;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Shop.Identity.Data;
using Shop.ServiceDefaults.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Shop.Identity.Apis;

/// <summary>
/// The OpenID Connect endpoints OpenIddict passes through to us once it has validated the request (client, secret,
/// redirect URI, PKCE, grant permissions): who the token is for is decided here. Discovery
/// (<c>/.well-known/openid-configuration</c>) and JWKS (<c>/.well-known/jwks</c>) OpenIddict answers itself.
/// </summary>
public static class ConnectApi
{
    public const string AuthorizePath = "connect/authorize";
    public const string TokenPath = "connect/token";
    public const string EndSessionPath = "connect/endsession";

    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        app.MapMethods($"/{AuthorizePath}", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).ExcludeFromDescription();
        app.MapPost($"/{TokenPath}", TokenAsync).ExcludeFromDescription();
        app.MapMethods($"/{EndSessionPath}", [HttpMethods.Get, HttpMethods.Post], (Delegate)EndSessionAsync).ExcludeFromDescription();
        return app;
    }

    /// <summary>A person: signed in on our page (or sent there first), then a code for the client.</summary>
    static async Task<IResult> AuthorizeAsync(HttpContext context, IdentityDbContext db, CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        var cookie = await context.AuthenticateAsync(IdentityServiceExtensions.CookieScheme);
        var user = cookie.Succeeded ? await db.Users.AsNoTracking().SingleOrDefaultAsync(x => x.Name == cookie.Principal!.Identity!.Name, cancellationToken) : null;
        if (user is null)
        {
            if (request.HasPromptValue(PromptValues.None))
                return Refuse(Errors.LoginRequired, "Nobody is signed in.");

            // To the sign-in page and back here with the same request (a POSTed one as a query string).
            var parameters = context.Request.HasFormContentType
                ? context.Request.Form.ToList()
                : context.Request.Query.ToList();
            return Results.Challenge(new AuthenticationProperties { RedirectUri = context.Request.PathBase + context.Request.Path + QueryString.Create(parameters) },
                [IdentityServiceExtensions.CookieScheme]);
        }

        return Results.SignIn(PrincipalFor(user, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    static async Task<IResult> TokenAsync(HttpContext context, IdentityDbContext db, IOptions<IdentityProviderOptions> options,
        CancellationToken cancellationToken)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("Not an OpenID Connect request.");
        if (request.IsClientCredentialsGrantType())
        {
            // A tool: the token is the client itself, in the role configured for it (operator), or in none.
            if (options.Value.Client(request.ClientId) is not { IsPublic: false } client)
                return Refuse(Errors.InvalidClient, "This client may not use client credentials.");
            return SignIn(Identity(client.ClientId, client.Role, name: client.DisplayName ?? client.ClientId), request.GetScopes());
        }

        if (request.GrantType == CustomerTokenGrant.Type)
        {
            // OpenIddict checked the grant permission already; checked again here, where the power is used.
            if (options.Value.Client(request.ClientId) is not { IsPublic: false, CustomerTokens: true })
                return Refuse(Errors.UnauthorizedClient, "This client may not obtain customer tokens.");
            var customerId = (string?)request[CustomerTokenGrant.CustomerIdParameter];
            if (!CustomerTokenGrant.IsValidCustomerId(customerId))
                return Refuse(Errors.InvalidRequest, $"{CustomerTokenGrant.CustomerIdParameter} must be 1 to " +
                    $"{CustomerTokenGrant.MaxCustomerIdLength} characters, without control characters or surrounding spaces.");
            return SignIn(Identity(customerId!, ShopRoles.Customer, name: null), request.GetScopes());
        }

        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // The person behind the code or refresh token, as they are now: removed users get nothing, roles are current.
            var granted = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            var subject = granted.Principal?.GetClaim(Claims.Subject);
            var user = subject is null ? null : await db.Users.AsNoTracking().SingleOrDefaultAsync(x => x.Subject == subject, cancellationToken);
            if (user is null)
                return Refuse(Errors.InvalidGrant, "The user of this grant no longer exists.");
            return Results.SignIn(PrincipalFor(user, granted.Principal!.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        }

        return Refuse(Errors.UnsupportedGrantType, "This grant type is not supported.");
    }

    static async Task<IResult> EndSessionAsync(HttpContext context)
    {
        await context.SignOutAsync(IdentityServiceExtensions.CookieScheme);
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    static ClaimsPrincipal PrincipalFor(ShopUser user, ImmutableArray<string> scopes)
    {
        var principal = new ClaimsPrincipal(Identity(user.Subject, user.Role, user.Name));
        principal.SetScopes(scopes);
        principal.SetResources(ShopClaims.Audience);
        principal.SetDestinations(Destinations);
        return principal;
    }

    static IResult SignIn(ClaimsIdentity identity, ImmutableArray<string> scopes)
    {
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(scopes);
        // aud=shop: every service requires it.
        principal.SetResources(ShopClaims.Audience);
        principal.SetDestinations(Destinations);
        return Results.SignIn(principal, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    static ClaimsIdentity Identity(string subject, string? role, string? name)
    {
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, subject);
        if (name is not null)
            identity.SetClaim(Claims.Name, name);
        if (role is not null)
            identity.SetClaim(Claims.Role, role);
        return identity;
    }

    /// <summary>A claim without a destination is silently dropped: sub and role go to both tokens, the name to the id token.</summary>
    static IEnumerable<string> Destinations(Claim claim) => claim.Type switch
    {
        Claims.Subject or Claims.Role => [OpenIddictConstants.Destinations.AccessToken, OpenIddictConstants.Destinations.IdentityToken],
        Claims.Name => [OpenIddictConstants.Destinations.IdentityToken],
        _ => [],
    };

    static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}

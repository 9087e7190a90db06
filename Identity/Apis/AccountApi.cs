using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shop.Identity.Data;

namespace Shop.Identity.Apis;

/// <summary>
/// The sign-in page of people (customers and operators): a plain form, antiforgery-protected and rate-limited per
/// address; on success a cookie of this service only and back to the authorization request that sent them here.
/// </summary>
public static class AccountApi
{
    public const string SignInPath = "/account/login";
    public const string ReturnUrlField = "returnUrl";

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(SignInPath, ShowSignIn).ExcludeFromDescription();
        app.MapPost(SignInPath, SignInAsync).RequireRateLimiting(IdentityServiceExtensions.SignInRateLimit).ExcludeFromDescription();
        return app;
    }

    static IResult ShowSignIn(HttpContext context, IAntiforgery antiforgery, [FromQuery] string? returnUrl) =>
        Page(context, antiforgery, returnUrl, error: null, StatusCodes.Status200OK);

    static async Task<IResult> SignInAsync(HttpContext context, IAntiforgery antiforgery, IdentityDbContext db, [FromForm] string? username,
        [FromForm] string? password, [FromForm] string? returnUrl, CancellationToken cancellationToken)
    {
        if (returnUrl is not null && !IsLocal(returnUrl))
            return Page(context, antiforgery, null, "The return address must be on this site.", StatusCodes.Status400BadRequest);
        if (string.IsNullOrEmpty(username) || string.IsNullOrEmpty(password) || username.Length > IdentityDbContext.NameLength)
            return Page(context, antiforgery, returnUrl, "Enter your user name and password.", StatusCodes.Status400BadRequest);

        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(x => x.Name == username, cancellationToken);
        // The same answer for an unknown user and a wrong password: the page does not tell which names exist.
        if (user is null || new PasswordHasher<ShopUser>().VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
            return Page(context, antiforgery, returnUrl, "Wrong user name or password.", StatusCodes.Status401Unauthorized);

        var identity = new ClaimsIdentity(IdentityServiceExtensions.CookieScheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Name));
        await context.SignInAsync(IdentityServiceExtensions.CookieScheme, new ClaimsPrincipal(identity));
        return returnUrl is null ? Results.Content($"Signed in as {WebUtility.HtmlEncode(user.Name)}.") : Results.LocalRedirect(returnUrl);
    }

    /// <summary>Only a path on this site: never <c>//evil</c> or <c>/\evil</c>, which browsers read as another host.</summary>
    static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    static IResult Page(HttpContext context, IAntiforgery antiforgery, string? returnUrl, string? error, int status)
    {
        var tokens = antiforgery.GetAndStoreTokens(context);
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Shop: sign in</title></head>
            <body>
            <h1>Sign in to the Shop</h1>
            {{(error is null ? "" : $"<p role=\"alert\">{WebUtility.HtmlEncode(error)}</p>")}}
            <form method="post" action="{{SignInPath}}">
            <input type="hidden" name="{{WebUtility.HtmlEncode(tokens.FormFieldName)}}" value="{{WebUtility.HtmlEncode(tokens.RequestToken)}}">
            {{(returnUrl is null ? "" : $"<input type=\"hidden\" name=\"{ReturnUrlField}\" value=\"{WebUtility.HtmlEncode(returnUrl)}\">")}}
            <label>User name <input name="username" autocomplete="username" required></label>
            <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">Sign in</button>
            </form>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}

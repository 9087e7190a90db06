using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Identity;
using Shop.Testing;

namespace Shop.Identity.Tests;

/// <summary>
/// A person in a browser (here HttpClient with cookies, redirects followed by hand): authorization request, the sign-in
/// page, back to the authorization endpoint, a code for the redirect URI, and the code redeemed with its PKCE verifier.
/// </summary>
public sealed partial class When_a_person_signs_in_with_code_and_pkce : IDisposable
{
    readonly CookieContainer _cookies = new();
    readonly HttpClient _browser;
    readonly string _verifier = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    public When_a_person_signs_in_with_code_and_pkce() =>
        _browser = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false })
        {
            BaseAddress = TestIdentityProvider.Authority,
            Timeout = TimeSpan.FromSeconds(30),
        };

    [Theory]
    [InlineData(TestIdentityProvider.Customer, ShopRoles.Customer)]
    [InlineData(TestIdentityProvider.Operator, ShopRoles.Operator)]
    public async Task Should_issue_a_token_for_that_person_in_their_role(string user, string role)
    {
        var code = await SignInAsync(user, TestIdentityProvider.PasswordOf(user));

        var response = await RedeemAsync(code, _verifier);

        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        var token = Tokens.Read(body["access_token"]!.GetValue<string>());
        Assert.Equal(user, token.Subject);
        Assert.Equal(role, token.GetClaim(ShopClaims.Role).Value);
        Assert.Equal([ShopClaims.Audience], token.Audiences);
        Assert.Equal("ES256", token.Alg);
    }

    [Fact]
    public async Task Should_not_redeem_the_code_without_its_verifier()
    {
        var code = await SignInAsync(TestIdentityProvider.Customer, TestIdentityProvider.PasswordOf(TestIdentityProvider.Customer));

        var response = await RedeemAsync(code, Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)));

        Assert.Equal("invalid_grant", await Tokens.ErrorOfAsync(response, HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task Should_prune_the_redeemed_code()
    {
        var code = await SignInAsync(TestIdentityProvider.Customer, TestIdentityProvider.PasswordOf(TestIdentityProvider.Customer));
        Assert.True((await RedeemAsync(code, _verifier)).IsSuccessStatusCode);
        Assert.True(await RedeemedCodesAsync() > 0, "the redeemed code is a row until pruned");

        // The tests' provider prunes every 5 s the used and expired rows older than that.
        await Eventually.True(async () => await RedeemedCodesAsync() == 0, "the redeemed codes to be pruned");
    }

    [Fact]
    public async Task Should_refuse_a_wrong_password_and_stay_signed_out()
    {
        var login = await FollowToSignInPageAsync();

        var response = await PostSignInAsync(login, TestIdentityProvider.Customer, "not-the-password");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Wrong user name or password", await response.Content.ReadAsStringAsync());
        // Still nobody signed in: the authorization request is sent to the sign-in page again.
        Assert.Contains("/account/login", (await _browser.GetAsync(AuthorizeUri())).Headers.Location!.ToString());
    }

    [Fact]
    public async Task Should_refuse_a_sign_in_without_the_antiforgery_token()
    {
        var response = await _browser.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = TestIdentityProvider.Customer,
            ["password"] = TestIdentityProvider.PasswordOf(TestIdentityProvider.Customer),
        }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Should_refuse_an_authorization_request_without_pkce()
    {
        await SignInAsync(TestIdentityProvider.Customer, TestIdentityProvider.PasswordOf(TestIdentityProvider.Customer));

        var response = await _browser.GetAsync(AuthorizeUri(pkce: false));

        // A public client's request without a code challenge ends here: no redirect, no code.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains("invalid_request", await response.Content.ReadAsStringAsync());
    }

    /// <summary>The whole browser part: returns the code the provider redirects to the client with.</summary>
    async Task<string> SignInAsync(string user, string password)
    {
        var login = await FollowToSignInPageAsync();
        var signedIn = await PostSignInAsync(login, user, password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var authorized = await _browser.GetAsync(signedIn.Headers.Location);
        Assert.Equal(HttpStatusCode.Redirect, authorized.StatusCode);
        var callback = authorized.Headers.Location!;
        Assert.StartsWith(TestIdentityProvider.WebRedirectUri, callback.ToString());
        var query = QueryHelpers.ParseQuery(callback.Query);
        Assert.Equal("state-1", query["state"].ToString());
        return query["code"].ToString();
    }

    async Task<(string Html, string ReturnUrl)> FollowToSignInPageAsync()
    {
        var authorize = await _browser.GetAsync(AuthorizeUri());
        Assert.Equal(HttpStatusCode.Redirect, authorize.StatusCode);
        var page = await _browser.GetAsync(authorize.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        return (html, WebUtility.HtmlDecode(HiddenField(html, "returnUrl")));
    }

    Task<HttpResponseMessage> PostSignInAsync((string Html, string ReturnUrl) login, string user, string password) =>
        _browser.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(HiddenField(login.Html, "__RequestVerificationToken")),
            ["returnUrl"] = login.ReturnUrl,
            ["username"] = user,
            ["password"] = password,
        }));

    Task<HttpResponseMessage> RedeemAsync(string code, string verifier) =>
        TestIdentityProvider.PostTokenRequestAsync(new()
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = TestIdentityProvider.WebRedirectUri,
            ["client_id"] = TestIdentityProvider.WebClientId,
            ["code_verifier"] = verifier,
        });

    string AuthorizeUri(bool pkce = true)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = TestIdentityProvider.WebClientId,
            ["redirect_uri"] = TestIdentityProvider.WebRedirectUri,
            ["response_type"] = "code",
            ["scope"] = "openid shop",
            ["state"] = "state-1",
        };
        if (pkce)
        {
            parameters["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(_verifier)));
            parameters["code_challenge_method"] = "S256";
        }
        return QueryHelpers.AddQueryString("connect/authorize", parameters);
    }

    /// <summary>OpenIddict stores a code's type as its token type identifier (<c>oi_auc+jwt</c> in 7.x).</summary>
    static async Task<long> RedeemedCodesAsync() => await TestIdentityProvider.Database.ScalarAsync<long>(
        "SELECT count(*) FROM \"OpenIddictTokens\" WHERE (\"Type\" = 'oi_auc+jwt' OR \"Type\" LIKE '%authorization_code') AND \"Status\" = 'redeemed'");

    static string HiddenField(string html, string name)
    {
        var match = HiddenInput().Matches(html).FirstOrDefault(x => x.Groups["name"].Value == name);
        Assert.True(match is not null, $"no hidden field {name} in: {html}");
        return match.Groups["value"].Value;
    }

    [GeneratedRegex("""<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)">""")]
    private static partial Regex HiddenInput();

    public void Dispose() => _browser.Dispose();
}

using System.Net;
using Shop.Testing;

namespace Shop.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_anonymous_visitor_opens_the_console(ConsoleFixture shop)
{
    [Fact]
    public async Task Should_send_the_browser_to_sign_in_and_show_nothing()
    {
        var context = await shop.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(new Uri(shop.ConsoleAddress, "/orders").ToString());

        // At the identity provider's sign-in page, not the console's.
        Assert.StartsWith(TestIdentityProvider.Authority.ToString(), page.Url, StringComparison.Ordinal);
        Assert.NotNull(response);
        Assert.Equal(1, await page.Locator("input[name=password]").CountAsync());
        Assert.DoesNotContain("Orders", await page.TitleAsync(), StringComparison.Ordinal);
        await context.DisposeAsync();
    }

    [Fact]
    public async Task Should_refuse_requests_without_an_operator()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = shop.ConsoleAddress };
        foreach (var path in new[] { "/", "/?handler=Live", "/orders", "/attention", "/console.css", "/operations/new?action=redrive&type=CreateShipment", $"/operations/{Guid.NewGuid()}" })
        {
            using var response = await anonymous.GetAsync(path);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.StartsWith(new Uri(TestIdentityProvider.Authority, "connect/authorize").ToString(), response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }

        // A POST without a session is never carried out (redirected to sign in, or refused without a form token).
        using (var post = await anonymous.PostAsync("/signout", new FormUrlEncodedContent([])))
            Assert.True(post.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, $"POST /signout answered {(int)post.StatusCode}");
        using (var redrive = await anonymous.PostAsync("/operations/new", new FormUrlEncodedContent(
                   [new("action", "redrive"), new("operation", Guid.NewGuid().ToString()), new("messageIds", "m-1")])))
            Assert.True(redrive.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.BadRequest, $"POST /operations/new answered {(int)redrive.StatusCode}");

        // A customer's token is a valid token, but not an operator's.
        using var customer = new HttpClient { BaseAddress = shop.ConsoleAddress }.WithToken(TestTokens.Customer("ada"));
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync("/")).StatusCode);

        // An operator's bearer token opens it.
        Assert.Equal(HttpStatusCode.OK, (await shop.ConsoleAsOperator.GetAsync("/")).StatusCode);
    }
}

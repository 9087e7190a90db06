using Shop.Identity.Apis;
using Shop.ServiceDefaults;

namespace Shop.Identity;

/// <summary>
/// The Identity service (the Shop's OpenID Connect provider), built in one place: its Program.cs and the tests'
/// in-process provider (<c>TestIdentityProvider</c> in tests/Shop.Testing) both call <see cref="Build"/>.
/// </summary>
public static class IdentityApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        // It issues the bearer tokens; it checks none (clients authenticate with secrets, people with the sign-in page).
        builder.AddServiceDefaults(identities: false);
        builder.AddIdentityServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.UseAntiforgery();
        app.MapConnectApi();
        app.MapAccountApi();
        return app;
    }
}

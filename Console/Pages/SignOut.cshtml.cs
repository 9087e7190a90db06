using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Console.Auth;

namespace Shop.Console.Pages;

/// <summary>POST (antiforgery checked, as every Razor Pages POST): ends the console's cookie and the session at the provider.</summary>
public sealed class SignOutModel : PageModel
{
    public IActionResult OnPost() =>
        SignOut(new AuthenticationProperties { RedirectUri = "/" }, ConsoleSignIn.CookieScheme, ConsoleSignIn.OidcScheme);
}

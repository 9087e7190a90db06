using Shop.ServiceDefaults;

namespace Shop.Console;

/// <summary>
/// The operators' console, built in one place: its Program.cs and the browser tests both call <see cref="Build"/>, so a
/// test runs the same wiring as production.
/// </summary>
public static class ConsoleApp
{
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        builder.AddConsoleServices();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        // After authentication and authorization (MapDefaultEndpoints): the script and styles are for operators too.
        app.UseStaticFiles();
        app.MapRazorPages();
        return app;
    }
}

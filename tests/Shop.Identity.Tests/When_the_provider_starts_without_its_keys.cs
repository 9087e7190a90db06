using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Shop.Testing;

namespace Shop.Identity.Tests;

/// <summary>Outside Development the provider never makes up keys (tokens would die with the process) nor an issuer.</summary>
public sealed class When_the_provider_starts_without_its_keys
{
    [Fact]
    public void Should_refuse_to_start_without_a_key_directory()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => Build(new() { ["Identity:Issuer"] = "http://127.0.0.1:8088/" }));

        Assert.Contains("Identity:KeyDirectory is required", exception.Message);
    }

    [Fact]
    public void Should_refuse_to_start_when_the_key_files_are_missing()
    {
        var empty = Directory.CreateTempSubdirectory("shop-identity-empty-");
        try
        {
            var exception = Assert.Throws<InvalidOperationException>(() =>
                Build(new() { ["Identity:Issuer"] = "http://127.0.0.1:8088/", ["Identity:KeyDirectory"] = empty.FullName }));

            Assert.Contains("signing.pem", exception.Message);
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("http://identity.example.com/", "loopback")]
    [InlineData("http://127.0.0.1:8088/identity", "ending in '/'")]
    public async Task Should_refuse_an_issuer_it_cannot_keep(string issuer, string message)
    {
        var keys = Directory.CreateTempSubdirectory("shop-identity-keys-");
        try
        {
            using (var signing = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256))
                await File.WriteAllTextAsync(Path.Combine(keys.FullName, "signing.pem"), signing.ExportPkcs8PrivateKeyPem());
            await File.WriteAllTextAsync(Path.Combine(keys.FullName, "encryption.key"), Convert.ToBase64String(new byte[32]));
            await using var app = Build(new() { ["Identity:Issuer"] = issuer, ["Identity:KeyDirectory"] = keys.FullName });

            var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => app.StartAsync());

            Assert.Contains(message, exception.Message);
        }
        finally
        {
            keys.Delete(recursive: true);
        }
    }

    static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ApplicationName = "Shop.Identity",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        settings["ConnectionStrings:Identity"] = $"{TestServers.PostgresAdminConnectionString};Database=shop_identity_never_created";
        settings["Identity:Clients:0:ClientId"] = "unused";
        builder.Configuration.AddInMemoryCollection(settings);
        return IdentityApp.Build(builder);
    }
}

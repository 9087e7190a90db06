using System.Text.RegularExpressions;

namespace Shop.Deployment.Tests;

/// <summary>
/// In docker compose every token comes from the identity service: nothing in the repository signs one, each service
/// reads the provider's keys on the compose network and starts only once the provider is healthy.
/// </summary>
public sealed partial class When_compose_runs_the_identity_provider
{
    [Fact]
    public void Should_hold_no_key_that_signs_tokens()
    {
        foreach (var file in new[] { Compose.FileName, ".env", "scripts/local-up.sh", "scripts/dev-token.sh" })
        {
            Assert.DoesNotContain("SigningKey", Repository.Read(file), StringComparison.Ordinal);
            Assert.DoesNotContain("SIGNING_KEY", Repository.Read(file), StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Should_check_tokens_through_the_identity_service_once_it_is_healthy(string service)
    {
        var block = await ServiceBlockAsync(Repository.ComposeNameOf(service));
        if (service == Repository.PaymentProvider)
        {
            // The outside world checks its merchant key, not our tokens: it is given nothing of the shop's.
            Assert.DoesNotContain("Auth__", block, StringComparison.Ordinal);
            return;
        }

        Assert.Contains("Auth__Authority: http://127.0.0.1:8088/", block);
        Assert.Contains("Auth__MetadataAddress: http://identity:8088/.well-known/openid-configuration", block);
        Assert.Matches(@"identity:\s+condition: service_healthy", block);
    }

    [Fact]
    public async Task Should_run_the_provider_with_one_issuer_its_own_database_and_keys_from_files()
    {
        var block = await ServiceBlockAsync("identity");

        Assert.Contains("Identity__Issuer: http://127.0.0.1:8088/", block);
        Assert.Contains("Identity__KeyDirectory: /run/shop-identity", block);
        Assert.Contains("User Id=shop_identity;", block);
        Assert.Contains("http://localhost:8088/health/ready", block);
        Assert.Contains("127.0.0.1:8088", block);
    }

    static async Task<string> ServiceBlockAsync(string service)
    {
        var resolved = await Compose.RunAsync("config");
        Assert.True(resolved.ExitCode == 0, resolved.ToString());
        var config = resolved.Output;
        var start = config.IndexOf($"\n  {service}:\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no service {service} in the resolved compose file");
        var next = NextService().Match(config, start + service.Length + 4);
        return next.Success ? config[start..next.Index] : config[start..];
    }

    [GeneratedRegex(@"\n  [\w.-]+:\n|\n[A-Za-z]")]
    private static partial Regex NextService();
}

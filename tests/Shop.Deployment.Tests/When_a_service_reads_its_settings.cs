using System.Text.RegularExpressions;

namespace Shop.Deployment.Tests;

/// <summary>
/// No credential ships in a service's appsettings.json (read in every environment): outside Development a service
/// must be given its own users, and stops at start-up without them. Local defaults live in appsettings.Development.json,
/// marked as such, and name the service's own user, never the operator.
/// </summary>
public sealed partial class When_a_service_reads_its_settings
{
    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void Should_find_no_credential_in_appsettings_json(string service)
    {
        var settings = Repository.Read($"{Repository.FolderOf(service)}/appsettings.json");

        Assert.DoesNotMatch(Credential(), settings);
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void Should_keep_marked_local_defaults_of_its_own_user_in_appsettings_development_json(string service)
    {
        var settings = Repository.Read($"{Repository.FolderOf(service)}/appsettings.Development.json");
        var user = $"shop_{service.ToLowerInvariant()}";

        Assert.Contains("LOCAL DEVELOPMENT DEFAULTS ONLY", settings);
        Assert.Contains($"Username={user};Password={user}-local-dev", settings);
        // Never the operator (user "shop"), in a connection string or a RabbitMq section.
        Assert.DoesNotMatch("Username=shop;|\"Username\":\\s*\"shop\"", settings);
    }

    [GeneratedRegex(@"(?i)password|pwd=|username|user id=|""user""")]
    private static partial Regex Credential();
}

using System.Text.RegularExpressions;

namespace Shop.Deployment.Tests;

/// <summary>
/// In docker compose every service logs in to SQL Server and RabbitMQ as a user of its own (created by the init steps),
/// never as sa or the broker's operator, and waits for those users to exist.
/// </summary>
public sealed partial class When_compose_gives_each_service_its_own_users
{
    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Should_connect_to_sql_server_with_its_own_login_not_sa(string service)
    {
        var environment = await EnvironmentOf(Repository.ComposeNameOf(service));

        var connection = environment[$"ConnectionStrings__{service}"];
        Assert.Contains($"Database=shop_{service.ToLowerInvariant()};", connection);
        Assert.Contains($"User Id=shop_{service.ToLowerInvariant()};", connection);
        Assert.DoesNotMatch("(?i)User Id=sa;", connection);
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Should_connect_to_rabbitmq_as_its_own_user_not_the_operator(string service)
    {
        var environment = await EnvironmentOf(Repository.ComposeNameOf(service));

        if (service == Repository.PaymentProvider)
        {
            Assert.False(environment.ContainsKey("RabbitMq__Username"), "the payment-provider simulator uses no broker");
            return;
        }

        Assert.Equal($"shop_{service.ToLowerInvariant()}", environment["RabbitMq__Username"]);
        Assert.NotEqual(Compose.EnvFile["RABBITMQ_DEFAULT_PASS"], environment["RabbitMq__Password"]);
        Assert.NotEqual(Compose.EnvFile["MSSQL_SA_PASSWORD"], PasswordOf(environment[$"ConnectionStrings__{service}"]));
    }

    [Fact]
    public async Task Should_create_every_user_of_the_permissions_file_with_a_password_of_its_own()
    {
        var users = Repository.Read("scripts/broker-permissions.tsv").Split('\n')
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t')[0])
            .ToList();
        var init = await EnvironmentOf("broker-init");

        Assert.Equal(6, users.Count);
        var passwords = users.Select(user => init[$"PASSWORD_{user.ToUpperInvariant()}"]).ToList();
        Assert.Equal(users.Count, passwords.Distinct().Count());
        Assert.Contains("broker-users.sh", Compose.Text);
    }

    [Fact]
    public async Task Should_start_the_services_only_once_their_users_exist()
    {
        var resolved = await Compose.RunAsync("config");
        Assert.True(resolved.ExitCode == 0, resolved.ToString());

        foreach (var service in Repository.ServicePorts.Keys.Select(Repository.ComposeNameOf))
        {
            var block = ServiceBlock(resolved.Output, service);
            Assert.Matches(@"broker-init:\s+condition: service_completed_successfully", block);
            Assert.Matches(@"sqlserver-init:\s+condition: service_completed_successfully", block);
        }
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    [InlineData("Console")]
    public async Task Should_migrate_its_database_in_a_job_of_its_own_as_the_migration_identity(string service)
    {
        var (name, lower) = (Repository.ComposeNameOf(service), service.ToLowerInvariant());
        var job = await EnvironmentOf(Repository.MigrateJobOf(service));
        var runtime = await EnvironmentOf(name);

        var migrations = job[$"ConnectionStrings__{service}Migrations"];
        Assert.Contains($"Database=shop_{lower};", migrations);
        Assert.Contains($"User Id=shop_{lower}_migrator;", migrations);
        Assert.Equal("true", job["Database__Migrate"]);
        // The job holds the migration identity and nothing else; the service never holds it.
        Assert.DoesNotContain(job.Keys, key => key.StartsWith("RabbitMq__", StringComparison.Ordinal) || key == $"ConnectionStrings__{service}");
        Assert.DoesNotContain(runtime.Keys, key => key.EndsWith("Migrations", StringComparison.Ordinal));
        Assert.DoesNotContain(PasswordOf(migrations), string.Join('\n', runtime.Values));
        Assert.NotEqual(PasswordOf(migrations), PasswordOf(runtime[$"ConnectionStrings__{service}"]));
        Assert.Matches($@"{Regex.Escape(Repository.MigrateJobOf(service))}:\s+condition: service_completed_successfully", await ResolvedBlock(name));
    }

    [Fact]
    public void Should_give_the_runtime_logins_rows_only_and_the_schema_to_the_migration_identities()
    {
        var script = Repository.Read("scripts/sqlserver-logins.sh");

        Assert.Contains("ALTER ROLE db_owner ADD MEMBER [$migrator]", script);
        Assert.Contains("ALTER ROLE db_datareader ADD MEMBER [$runtime]", script);
        Assert.Contains("ALTER ROLE db_datawriter ADD MEMBER [$runtime]", script);
        Assert.Contains("ALTER ROLE db_owner DROP MEMBER [$runtime]", script);
        Assert.DoesNotContain("ADD MEMBER [$runtime]", script.Replace("db_datareader ADD MEMBER [$runtime]", "").Replace("db_datawriter ADD MEMBER [$runtime]", ""));
        Assert.DoesNotMatch(@"(?i)sp_addsrvrolemember|ALTER SERVER ROLE", script);
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Should_mount_only_its_own_private_key_and_the_public_keys(string service)
    {
        var block = await ResolvedBlock(Repository.ComposeNameOf(service));
        var mounts = VolumeLine().Matches(block).Select(x => x.Groups["source"].Value).ToList();
        // Signing keys are under container-keys/private; the payment token pair and the merchant key under secrets/.
        var privateKeys = mounts.Where(x => x.Contains("/container-keys/private", StringComparison.Ordinal)).ToList();
        var secrets = mounts.Where(x => x.Contains("/container-keys/secrets/", StringComparison.Ordinal))
            .Select(Path.GetFileName).Order().ToList();

        Assert.DoesNotContain(mounts, source => source.EndsWith("/.run/keys", StringComparison.Ordinal) || source.Contains("/.run/keys/", StringComparison.Ordinal));
        Assert.DoesNotContain(mounts, source => source.Contains("operator", StringComparison.Ordinal));
        Assert.Equal(service switch
        {
            "Orders" => ["payment-token-dev.public.pem"], // seals customers' payment tokens
            "Payments" => ["payment-provider.key", "payment-token-dev.private.pem"], // opens them, calls the provider
            Repository.PaymentProvider => ["payment-provider-console.key", "payment-provider.key"], // checks the merchant keys
            _ => [],
        }, secrets);
        if (service == Repository.PaymentProvider)
        {
            Assert.Empty(privateKeys); // the simulator signs no messages
            return;
        }

        var signer = service.ToLowerInvariant();
        Assert.Equal([$"{Repository.Root}/.run/container-keys/private/{signer}-dev.private.pem"], privateKeys);
        Assert.Contains($"{Repository.Root}/.run/container-keys/public", mounts);
        var environment = await EnvironmentOf(Repository.ComposeNameOf(service));
        Assert.Equal($"/run/shop-signing/{signer}-dev.private.pem", environment["Messaging__Signing__PrivateKey"]);
        Assert.Equal($"{signer}-dev", environment["Messaging__Signing__KeyId"]);
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Should_answer_only_the_hosts_it_is_known_by(string service)
    {
        var allowed = (await EnvironmentOf(Repository.ComposeNameOf(service)))["AllowedHosts"].Split(';');
        var local = Repository.Read($"{Repository.FolderOf(service)}/appsettings.json");

        Assert.DoesNotContain("*", allowed);
        Assert.Contains(Repository.ComposeNameOf(service), allowed);
        Assert.Contains("localhost", allowed);
        Assert.Contains("\"AllowedHosts\": \"localhost;127.0.0.1;[::1]\"", local);
    }

    static async Task<string> ResolvedBlock(string service)
    {
        var resolved = await Compose.RunAsync("config");
        Assert.True(resolved.ExitCode == 0, resolved.ToString());
        return ServiceBlock(resolved.Output, service);
    }

    /// <summary>The resolved environment of one compose service (variables of .env substituted).</summary>
    static async Task<IReadOnlyDictionary<string, string>> EnvironmentOf(string service)
    {
        var resolved = await Compose.RunAsync("config");
        Assert.True(resolved.ExitCode == 0, resolved.ToString());

        var block = ServiceBlock(resolved.Output, service);
        const string Section = "\n    environment:\n";
        var at = block.IndexOf(Section, StringComparison.Ordinal);
        Assert.True(at >= 0, $"{service} has no environment");
        // Entries are indented six spaces; a long value continues on deeper-indented lines, folded at a space.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        string? last = null;
        foreach (var line in block[(at + Section.Length)..].Split('\n'))
        {
            if (line.StartsWith("        ", StringComparison.Ordinal) && last is not null)
                environment[last] += " " + line.Trim();
            else if (EnvironmentEntry().Match(line) is { Success: true } entry)
                environment[last = entry.Groups["name"].Value] = entry.Groups["value"].Value.Trim();
            else
                break;
        }

        return environment.ToDictionary(x => x.Key, x => x.Value.Trim('\'', '"'));
    }

    /// <summary>The lines of one service in <c>docker-compose config</c>'s output, up to the next service.</summary>
    static string ServiceBlock(string config, string service)
    {
        var start = config.IndexOf($"\n  {service}:\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no service {service} in the resolved compose file");
        var next = NextService().Match(config, start + service.Length + 4);
        return next.Success ? config[start..next.Index] : config[start..];
    }

    static string PasswordOf(string connectionString) =>
        connectionString.Split(';').Select(x => x.Split('=', 2)).Single(x => x[0] == "Password")[1];

    [GeneratedRegex(@"^    - (?<source>/[^:\n]+):(?<target>[^:\n]+)(:ro)?$", RegexOptions.Multiline)]
    private static partial Regex VolumeLine();

    [GeneratedRegex(@"^      (?<name>\w+): (?<value>.*)$")]
    private static partial Regex EnvironmentEntry();

    [GeneratedRegex(@"\n  [\w.-]+:\n|\n[A-Za-z]")]
    private static partial Regex NextService();
}

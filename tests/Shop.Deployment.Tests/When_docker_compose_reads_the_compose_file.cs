namespace Shop.Deployment.Tests;

public sealed class When_docker_compose_reads_the_compose_file
{
    [Fact]
    public async Task Should_find_it_valid_with_every_variable_set()
    {
        var result = await Compose.RunAsync("config", "-q");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain("is not set", result.Errors, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The trace viewer is an optional side car: nothing depends on it (the services export traces to it when it is
    /// there) and its image ships no shell tool a healthcheck could run.
    /// </summary>
    const string TraceViewer = "jaeger";

    /// <summary>
    /// One-shot steps that create the per-service users, and migrate each database as its migration identity, and exit;
    /// the services wait for them to complete.
    /// </summary>
    static readonly string[] InitSteps = ["broker-init", "sqlserver-init", "identity-migrate", "broker-init-cluster", .. Repository.ServicePorts.Keys.Select(Repository.MigrateJobOf),
        .. Repository.ReadOnlyServicePorts.Keys.Select(Repository.MigrateJobOf)];

    /// <summary>The profile <c>cluster</c> (docs/scaling.md#compose): three nodes, their proxy, a second replica of each service.</summary>
    static readonly string[] ClusterProfile =
    [
        "rabbitmq-1", "rabbitmq-2", "rabbitmq-3", "rabbitmq-proxy",
        .. Repository.ServicePorts.Keys.Where(x => x != Repository.PaymentProvider).Select(x => $"{Repository.ComposeNameOf(x)}-2"),
    ];

    [Fact]
    public async Task Should_run_the_five_services_and_the_payment_provider_beside_rabbitmq_sql_server_and_the_trace_viewer()
    {
        var services = await Compose.ServicesAsync();

        string[] expected = ["rabbitmq", "sqlserver", TraceViewer, "identity", .. InitSteps, .. Repository.ServicePorts.Keys.Select(Repository.ComposeNameOf),
            .. Repository.ReadOnlyServicePorts.Keys.Select(Repository.ComposeNameOf), .. ClusterProfile];
        Assert.Equal(expected.Order(), services.Select(x => x.Name).Order());
    }

    [Fact]
    public async Task Should_give_every_service_a_healthcheck()
    {
        var services = await Compose.ServicesAsync();

        Assert.NotEmpty(services);
        Assert.All(services.Where(x => x.Name != TraceViewer && !InitSteps.Contains(x.Name)),
            service => Assert.True(service.HasHealthcheckTest, $"{service.Name} has no healthcheck test"));
    }

    [Fact]
    public async Task Should_send_every_shop_services_traces_to_the_trace_viewer()
    {
        var compose = await File.ReadAllTextAsync(Repository.PathOf("docker-compose.yml"));

        Assert.Contains($"OTEL_EXPORTER_OTLP_ENDPOINT: http://{TraceViewer}:4317", compose);
        Assert.Contains("127.0.0.1:16686:16686", compose);
    }

    [Fact]
    public async Task Should_point_payments_at_the_payment_provider_in_the_compose_network()
    {
        var compose = await File.ReadAllTextAsync(Repository.PathOf("docker-compose.yml"));

        Assert.Contains($"PaymentProvider__BaseUrl: http://{Repository.ComposeNameOf(Repository.PaymentProvider)}:8085", compose);
        Assert.Contains("Database=shop_paymentprovider;", compose);
    }

    [Fact]
    public async Task Should_build_each_shop_service_from_the_one_dockerfile_with_its_own_arguments()
    {
        var services = await Compose.ServicesAsync();

        foreach (var (name, port) in Repository.ServicePorts.Concat(Repository.ReadOnlyServicePorts))
        {
            var service = Assert.Single(services, x => x.Name == Repository.ComposeNameOf(name));
            Assert.Equal(Repository.Root, Path.GetFullPath(service.BuildContext!).TrimEnd(Path.DirectorySeparatorChar));
            Assert.Equal(Repository.PathOf("Dockerfile"), service.DockerfilePath);
            Assert.Equal(Repository.FolderOf(name), service.BuildArgs.GetValueOrDefault("SERVICE_DIR"));
            Assert.Equal($"Shop.{name}", service.BuildArgs.GetValueOrDefault("SERVICE"));
            Assert.Equal(port.ToString(), service.BuildArgs.GetValueOrDefault("PORT"));
            Assert.True(File.Exists(Repository.PathOf($"{Repository.FolderOf(name)}/Shop.{name}.csproj")), $"{name}: no project at its SERVICE_DIR");
        }

        Assert.All(services.Where(x => x.BuildContext is not null),
            service => Assert.True(File.Exists(service.DockerfilePath), $"{service.Name}: {service.DockerfilePath} does not exist"));
    }
}

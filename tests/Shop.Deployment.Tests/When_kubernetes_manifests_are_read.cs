using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Shop.Deployment.Tests;

/// <summary>
/// deploy/kubernetes, checked offline (no kustomize or kubeconform among the packages we may use): every manifest is
/// listed by the kustomization, each service's Deployment serves its port with readiness on /health/ready and a shallow
/// liveness, asks for resources, outlives the host's 30 s shutdown, uses only settings compose also gives it, has a
/// PodDisruptionBudget and a KEDA ScaledObject on one of its own queues; the broker is a three-node RabbitmqCluster.
/// </summary>
public sealed partial class When_kubernetes_manifests_are_read
{
    const string Folder = "deploy/kubernetes";

    static readonly IReadOnlyList<YamlMappingNode> Manifests = ReadAll();

    /// <summary>The services deployed there: all but the payment-provider simulator (the outside world).</summary>
    public static TheoryData<string> DeployedServices => new(Repository.ServicePorts.Keys.Where(x => x != Repository.PaymentProvider));

    [Fact]
    public void Should_list_every_manifest_in_the_kustomization()
    {
        var kustomization = Load(Repository.PathOf($"{Folder}/kustomization.yaml")).Single();
        var resources = ((YamlSequenceNode)kustomization["resources"]).Select(x => x.ToString()).Order().ToList();
        var files = Directory.GetFiles(Repository.PathOf(Folder), "*.yaml").Select(x => Path.GetFileName(x)!)
            .Where(x => x != "kustomization.yaml").Order().ToList();

        Assert.Equal(files, resources);
    }

    [Theory]
    [MemberData(nameof(DeployedServices))]
    public void Should_probe_readiness_on_the_bus_and_liveness_shallowly_on_the_service_port(string service)
    {
        var container = Container(service);
        var port = int.Parse(Scalar(((YamlSequenceNode)container["ports"]).Cast<YamlMappingNode>().Single(), "containerPort"));

        Assert.Equal(Repository.ServicePorts[service], port);
        Assert.Equal("/health/ready", Scalar(At(container, "readinessProbe", "httpGet"), "path"));
        Assert.Equal("/health/live", Scalar(At(container, "livenessProbe", "httpGet"), "path"));
        Assert.Equal("http", Scalar(At(container, "readinessProbe", "httpGet"), "port"));
        Assert.NotEmpty(Scalar(At(container, "resources", "requests"), "cpu"));
        Assert.NotEmpty(Scalar(At(container, "resources", "requests"), "memory"));
    }

    [Theory]
    [MemberData(nameof(DeployedServices))]
    public void Should_outlive_the_hosts_shutdown_and_keep_one_pod_in_a_disruption(string service)
    {
        var deployment = Find("Deployment", Name(service));
        var spec = At(deployment, "spec", "template", "spec");

        // MassTransit's StopTimeout and the host's ShutdownTimeout are 30 s; the preStop sleep comes before them.
        Assert.True(int.Parse(Scalar(spec, "terminationGracePeriodSeconds")) > 30 + 5);
        Assert.True(int.Parse(Scalar(At(deployment, "spec"), "replicas")) >= 2);
        var budget = Find("PodDisruptionBudget", Name(service));
        Assert.Equal("1", Scalar(At(budget, "spec"), "minAvailable"));
        Assert.Equal(Name(service), Scalar(At(budget, "spec", "selector", "matchLabels"), "app.kubernetes.io/name"));
        Assert.Equal(Name(service), Scalar(At(deployment, "spec", "template", "metadata", "labels"), "app.kubernetes.io/name"));
    }

    [Theory]
    [MemberData(nameof(DeployedServices))]
    public void Should_use_only_settings_the_service_is_given_in_compose(string service)
    {
        var compose = Repository.Read("docker-compose.yml");
        var names = ((YamlSequenceNode)Container(service)["env"]).Cast<YamlMappingNode>().Select(x => Scalar(x, "name"))
            .Concat(((YamlMappingNode)Find("ConfigMap", "shop-config")["data"]).Children.Keys.Select(x => x.ToString()));

        Assert.All(names, name => Assert.Contains($" {name}:", compose, StringComparison.Ordinal));
        Assert.Equal("true", Scalar((YamlMappingNode)Find("ConfigMap", "shop-config")["data"], "RabbitMq__QuorumQueues"));
    }

    [Theory]
    [MemberData(nameof(DeployedServices))]
    public void Should_scale_on_a_queue_of_its_own(string service)
    {
        var scaled = Find("ScaledObject", Name(service));
        var trigger = ((YamlSequenceNode)At(scaled, "spec")["triggers"]).Cast<YamlMappingNode>().Single();
        var queue = Scalar(At(trigger, "metadata"), "queueName");
        var configure = File.ReadLines(Repository.PathOf("scripts/broker-permissions.tsv"))
            .Single(x => x.StartsWith($"shop_{Name(service)}\t", StringComparison.Ordinal)).Split('\t')[1];

        Assert.Equal(Name(service), Scalar(At(scaled, "spec", "scaleTargetRef"), "name"));
        Assert.Equal("rabbitmq", Scalar(trigger, "type"));
        Assert.Matches($"^{EndpointQueues().Match(configure).Groups[1].Value}$", queue);
    }

    [Fact]
    public void Should_run_the_broker_as_a_three_node_cluster()
    {
        var cluster = Find("RabbitmqCluster", "shop-rabbitmq");

        Assert.Equal("rabbitmq.com/v1beta1", Scalar(cluster, "apiVersion"));
        Assert.Equal("3", Scalar(At(cluster, "spec"), "replicas"));
        Assert.Equal("shop-rabbitmq", Scalar((YamlMappingNode)Find("ConfigMap", "shop-config")["data"], "RabbitMq__Host"));
    }

    static string Name(string service) => service.ToLowerInvariant();

    static YamlMappingNode Container(string service) =>
        ((YamlSequenceNode)At(Find("Deployment", Name(service)), "spec", "template", "spec")["containers"]).Cast<YamlMappingNode>()
        .Single(x => Scalar(x, "name") == Name(service));

    static YamlMappingNode Find(string kind, string name) =>
        Manifests.SingleOrDefault(x => Scalar(x, "kind") == kind && Scalar(At(x, "metadata"), "name") == name)
        ?? throw new InvalidOperationException($"no {kind} {name} in {Folder}");

    static YamlMappingNode At(YamlMappingNode node, params string[] keys) =>
        keys.Aggregate(node, (current, key) => (YamlMappingNode)current[key]);

    static string Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value.ToString() : "";

    static IReadOnlyList<YamlMappingNode> ReadAll() =>
        Directory.GetFiles(Repository.PathOf(Folder), "*.yaml").Where(x => !x.EndsWith("kustomization.yaml", StringComparison.Ordinal))
            .SelectMany(Load).ToList();

    static IEnumerable<YamlMappingNode> Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Select(x => x.RootNode).OfType<YamlMappingNode>().ToList();
    }

    /// <summary>The endpoint queues of a configure pattern: <c>^((a|b)(_error|_skipped)?|...</c> gives <c>(a|b)</c>.</summary>
    [GeneratedRegex(@"^\^\((\([^)]*\))\(_error")]
    private static partial Regex EndpointQueues();
}

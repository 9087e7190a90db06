namespace Shop.Deployment.Tests;

/// <summary>The repository these tests check: the folder holding Shop.sln, found by walking up from the test binaries.</summary>
static class Repository
{
    public static readonly string Root = FindRoot();

    /// <summary>The simulator of the outside world, deployed beside the services; it lives under <c>Simulators/</c>.</summary>
    public const string PaymentProvider = "PaymentProvider";

    /// <summary>The services (Analytics included) and the payment-provider simulator, with their HTTP ports.</summary>
    public static readonly IReadOnlyDictionary<string, int> ServicePorts = new Dictionary<string, int>
    {
        ["Orders"] = 8080,
        ["Payments"] = 8081,
        ["Inventory"] = 8082,
        ["Shipping"] = 8083,
        ["Notifications"] = 8084,
        [PaymentProvider] = 8085,
        ["Analytics"] = 8086,
    };

    /// <summary>
    /// Services without broker queues of their own (no service user in broker-permissions.tsv): the operator console,
    /// which reads the others' databases as shop_console; its own database (the audit) has a migrate job like the others'.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int> ReadOnlyServicePorts = new Dictionary<string, int>
    {
        ["Console"] = 8087,
    };

    /// <summary>The repository folder of a service's project (its SERVICE_DIR build argument).</summary>
    public static string FolderOf(string service) => service == PaymentProvider ? "Simulators/PaymentProvider" : service;

    /// <summary>Its name in docker-compose.yml.</summary>
    public static string ComposeNameOf(string service) => service == PaymentProvider ? "payment-provider" : service.ToLowerInvariant();

    public static TheoryData<string> Services => new(ServicePorts.Keys);

    /// <summary>The one-shot job that migrates its database as the migration identity: <c>orders-migrate</c>.</summary>
    public static string MigrateJobOf(string service) => $"{ComposeNameOf(service)}-migrate";

    public static string PathOf(string relativePath) => Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relativePath) => File.ReadAllText(PathOf(relativePath));

    static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No Shop.sln above {AppContext.BaseDirectory}.");
    }
}

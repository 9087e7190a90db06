using System.Runtime.Versioning;

namespace Shop.Deployment.Tests;

/// <summary>
/// <c>scripts/dev-keys.sh</c> writes every private key readable by its owner only; with <c>--containers</c> it adds what
/// docker compose mounts: every public key, and each service's private key alone, owned by the containers' user. The
/// operator's private key never goes to a container.
/// </summary>
[UnsupportedOSPlatform("windows")] // file modes; the scripts are bash
public sealed class When_dev_keys_are_written : IDisposable
{
    static readonly string[] Services = ["orders", "payments", "inventory", "shipping", "notifications", "analytics"];
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    const UnixFileMode Public = OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("shop-dev-keys-");

    string Keys => Path.Combine(_directory.FullName, "keys");
    string ContainerKeys => Path.Combine(_directory.FullName, "container-keys");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public async Task Should_keep_every_private_key_to_its_owner()
    {
        await RunAsync();

        foreach (var signer in Services.Append("operator"))
        {
            Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(Keys, signer, $"{signer}-dev.private.pem")));
            Assert.Equal(Public, File.GetUnixFileMode(Path.Combine(Keys, signer, $"{signer}-dev.public.pem")));
        }
    }

    [Fact]
    public async Task Should_close_a_key_an_earlier_run_opened_to_everyone()
    {
        await RunAsync("--containers");
        var orders = Path.Combine(Keys, "orders", "orders-dev.private.pem");
        File.SetUnixFileMode(orders, Public);

        await RunAsync();

        Assert.Equal(OwnerOnly, File.GetUnixFileMode(orders));
    }

    [Fact]
    public async Task Should_give_containers_the_public_keys_and_each_service_its_own_private_key_only()
    {
        await RunAsync("--containers");

        var privateKeys = Directory.GetFiles(Path.Combine(ContainerKeys, "private")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(Services.Select(x => $"{x}-dev.private.pem").Order(), privateKeys);
        Assert.All(Directory.GetFiles(Path.Combine(ContainerKeys, "private")), file => Assert.Equal(OwnerOnly, File.GetUnixFileMode(file)));
        var publicKeys = Directory.GetFiles(Path.Combine(ContainerKeys, "public"), "*", SearchOption.AllDirectories);
        Assert.Equal(Services.Append("operator").Select(x => $"{x}-dev.public.pem").Order(), publicKeys.Select(Path.GetFileName).Order());
        Assert.All(publicKeys, file => Assert.Equal(Public, File.GetUnixFileMode(file)));
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(Keys, "payments", "payments-dev.private.pem")),
            await File.ReadAllTextAsync(Path.Combine(ContainerKeys, "private", "payments-dev.private.pem")));
    }

    async Task RunAsync(params string[] arguments)
    {
        // The containers' user is this user here: giving a file to another uid would need root.
        var result = await Command.RunAsync("bash", ["scripts/dev-keys.sh", .. arguments], TimeSpan.FromMinutes(1), new Dictionary<string, string>
        {
            ["SHOP_KEYS_DIR"] = Keys,
            ["SHOP_CONTAINER_KEYS_DIR"] = ContainerKeys,
            ["SHOP_CONTAINER_UID"] = CurrentUid(),
        });
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    static string CurrentUid() => File.ReadAllLines("/proc/self/status").Single(x => x.StartsWith("Uid:", StringComparison.Ordinal))
        .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
}

using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Shop.Messaging.Signing;

namespace Shop.Messaging.Tests.Signing;

public sealed class When_a_service_starts_without_its_key
{
    [Theory]
    [InlineData("Production")]
    [InlineData("Testing")]
    public void Should_refuse_to_start_outside_development(string environment)
    {
        var error = Assert.Throws<InvalidOperationException>(() => SigningKeyRing.Load(new SigningOptions(), new Environment(environment)));
        Assert.Contains("No message signing key for 'orders'", error.Message);
        Assert.Contains("Messaging:Signing:PrivateKey", error.Message);
    }

    [Fact]
    public void Should_run_unsigned_in_development()
    {
        var ring = SigningKeyRing.Load(new SigningOptions(), new Environment(Environments.Development));
        Assert.False(ring.Enabled);
        Assert.Equal("orders", ring.Service);
    }

    [Fact]
    public void Should_read_its_key_and_everyone_s_public_keys_from_a_key_directory()
    {
        var directory = Directory.CreateTempSubdirectory("shop-keys-");
        try
        {
            foreach (var signer in new[] { "orders", "payments" })
            {
                using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
                var folder = Directory.CreateDirectory(Path.Combine(directory.FullName, signer)).FullName;
                File.WriteAllText(Path.Combine(folder, $"{signer}-1.private.pem"), key.ExportPkcs8PrivateKeyPem());
                File.WriteAllText(Path.Combine(folder, $"{signer}-1.public.pem"), key.ExportSubjectPublicKeyInfoPem());
            }

            var ring = SigningKeyRing.Load(new SigningOptions { KeyDirectory = directory.FullName }, new Environment("Production"));

            Assert.Equal(("orders", "orders-1"), (ring.SigningKey!.Signer, ring.SigningKey.KeyId));
            Assert.NotNull(ring.PublicKey("payments", "payments-1"));
            Assert.NotNull(ring.PublicKey("orders", "orders-1"));
            Assert.Null(ring.PublicKey("payments", "payments-2"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Shop.Orders";
        public string ContentRootPath { get; set; } = "/";
        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}

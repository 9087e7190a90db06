namespace Shop.Deployment.Tests;

public sealed class When_a_service_is_published : IDisposable
{
    readonly string _output = Directory.CreateTempSubdirectory("shop-publish-").FullName;

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public async Task Should_publish_in_release(string service)
    {
        var project = Repository.PathOf($"{Repository.FolderOf(service)}/Shop.{service}.csproj");
        Assert.True(File.Exists(project), $"{project} does not exist");

        var result = await Command.RunAsync("dotnet",
            ["publish", project, "-c", "Release", "-o", _output, "--disable-build-servers", "-nologo"], TimeSpan.FromMinutes(10));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(_output, $"Shop.{service}.dll")), $"Shop.{service}.dll is not in the publish output");
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}

using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using Shop.Identity.Data;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Shop.Identity.Hosting;

/// <summary>
/// Makes the database say what configuration says, at every start (after the migrations): the <c>shop</c> scope, each
/// configured client (secrets re-read, so a regenerated secret takes effect on restart) and user; a client or user no
/// longer configured is deleted, so removing it from configuration revokes its sign-in.
/// </summary>
sealed class IdentitySeeder(IServiceProvider services, IOptions<IdentityProviderOptions> options, ILogger<IdentitySeeder> logger)
    : IHostedService
{
    public const string ShopScope = "shop";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using var scope = services.CreateAsyncScope();
        var scopes = scope.ServiceProvider.GetRequiredService<IOpenIddictScopeManager>();
        if (await scopes.FindByNameAsync(ShopScope, cancellationToken) is null)
            await scopes.CreateAsync(new OpenIddictScopeDescriptor { Name = ShopScope, Resources = { ShopScope } }, cancellationToken);

        await SeedClientsAsync(scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(), settings, cancellationToken);
        await SeedUsersAsync(scope.ServiceProvider.GetRequiredService<IdentityDbContext>(), settings, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    async Task SeedClientsAsync(IOpenIddictApplicationManager applications, IdentityProviderOptions settings, CancellationToken cancellationToken)
    {
        foreach (var client in settings.Clients)
        {
            var descriptor = Describe(client, settings.KeyDirectory);
            if (await applications.FindByClientIdAsync(client.ClientId, cancellationToken) is { } existing)
                await applications.UpdateAsync(existing, descriptor, cancellationToken);
            else
                await applications.CreateAsync(descriptor, cancellationToken);
        }

        var removed = new List<object>();
        await foreach (var application in applications.ListAsync(count: null, offset: null, cancellationToken))
        {
            if (settings.Client(await applications.GetClientIdAsync(application, cancellationToken)) is null)
                removed.Add(application);
        }
        foreach (var application in removed)
        {
            logger.LogWarning("Deleting client {ClientId}: it is no longer configured", await applications.GetClientIdAsync(application, cancellationToken));
            await applications.DeleteAsync(application, cancellationToken);
        }
    }

    static OpenIddictApplicationDescriptor Describe(IdentityClient client, string? keyDirectory)
    {
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = client.ClientId,
            DisplayName = client.DisplayName ?? client.ClientId,
            Permissions = { Permissions.Endpoints.Token, Permissions.Prefixes.Scope + ShopScope },
        };
        if (client.IsPublic)
        {
            // People: authorization code + PKCE through the sign-in page, refresh tokens, sign-out.
            descriptor.ClientType = ClientTypes.Public;
            descriptor.Permissions.UnionWith([
                Permissions.Endpoints.Authorization, Permissions.Endpoints.EndSession, Permissions.GrantTypes.AuthorizationCode,
                Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            ]);
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
            descriptor.RedirectUris.UnionWith(client.RedirectUris.Select(uri => new Uri(uri, UriKind.Absolute)));
            descriptor.PostLogoutRedirectUris.UnionWith(client.PostLogoutRedirectUris.Select(uri => new Uri(uri, UriKind.Absolute)));
            return descriptor;
        }

        descriptor.ClientType = ClientTypes.Confidential;
        descriptor.ClientSecret = client.Secret ?? IdentityKeys.ReadSecret(keyDirectory, Path.Combine("clients", $"{client.ClientId}.secret"))
            ?? throw new InvalidOperationException($"Client {client.ClientId} has no secret: Identity:Clients:…:Secret or " +
                $"clients/{client.ClientId}.secret under Identity:KeyDirectory (bash scripts/dev-keys.sh generates it locally).");
        descriptor.Permissions.Add(Permissions.GrantTypes.ClientCredentials);
        if (client.CustomerTokens)
            descriptor.Permissions.Add(Permissions.Prefixes.GrantType + CustomerTokenGrant.Type);
        return descriptor;
    }

    async Task SeedUsersAsync(IdentityDbContext db, IdentityProviderOptions settings, CancellationToken cancellationToken)
    {
        var hasher = new PasswordHasher<ShopUser>();
        var stored = await db.Users.ToDictionaryAsync(x => x.Name, cancellationToken);
        foreach (var configured in settings.Users)
        {
            var password = configured.Password ?? IdentityKeys.ReadSecret(settings.KeyDirectory, Path.Combine("users", $"{configured.Name}.password"))
                ?? throw new InvalidOperationException($"User {configured.Name} has no password: users/{configured.Name}.password under " +
                    "Identity:KeyDirectory (bash scripts/dev-keys.sh generates it locally).");
            var subject = configured.Subject ?? configured.Name;
            if (!stored.Remove(configured.Name, out var user))
            {
                user = new ShopUser { Name = configured.Name, Subject = subject, Role = configured.Role, PasswordHash = "" };
                db.Users.Add(user);
            }

            (user.Subject, user.Role) = (subject, configured.Role);
            // Hashing costs ~50 ms: only when the password changed (or the hash is new).
            if (user.PasswordHash.Length == 0 || hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
                user.PasswordHash = hasher.HashPassword(user, password);
        }

        foreach (var user in stored.Values)
        {
            logger.LogWarning("Deleting user {User}: it is no longer configured", user.Name);
            db.Users.Remove(user);
        }
        await db.SaveChangesAsync(cancellationToken);
    }
}

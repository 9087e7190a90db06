using Microsoft.EntityFrameworkCore;

namespace Shop.Identity.Data;

/// <summary>
/// The Identity service's own database: OpenIddict's tables (applications, authorizations, scopes, tokens) and
/// <c>Users</c> (Name PK varchar(64), Subject varchar(64) unique, Role varchar(16), PasswordHash), seeded at start-up.
/// </summary>
public class IdentityDbContext(DbContextOptions options) : DbContext(options)
{
    public const int NameLength = 64;

    public DbSet<ShopUser> Users => Set<ShopUser>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.UseOpenIddict();
        modelBuilder.Entity<ShopUser>(user =>
        {
            user.ToTable("Users");
            user.HasKey(x => x.Name);
            user.Property(x => x.Name).HasMaxLength(NameLength);
            user.Property(x => x.Subject).HasMaxLength(NameLength);
            user.HasIndex(x => x.Subject).IsUnique();
            user.Property(x => x.Role).HasMaxLength(16).IsUnicode(false);
            user.Property(x => x.PasswordHash).HasMaxLength(200).IsUnicode(false);
        });
    }
}

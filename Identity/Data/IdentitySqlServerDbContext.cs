using Microsoft.EntityFrameworkCore;

namespace Shop.Identity.Data;

public sealed class IdentitySqlServerDbContext(DbContextOptions<IdentitySqlServerDbContext> options) : IdentityDbContext(options);

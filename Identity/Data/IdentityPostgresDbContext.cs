using Microsoft.EntityFrameworkCore;

namespace Shop.Identity.Data;

public sealed class IdentityPostgresDbContext(DbContextOptions<IdentityPostgresDbContext> options) : IdentityDbContext(options);

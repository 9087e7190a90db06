using Microsoft.EntityFrameworkCore;

namespace Shop.PaymentProvider.Data;

public sealed class ProviderPostgresDbContext(DbContextOptions<ProviderPostgresDbContext> options) : ProviderDbContext(options);

using Microsoft.EntityFrameworkCore;

namespace Shop.PaymentProvider.Data;

public sealed class ProviderSqlServerDbContext(DbContextOptions<ProviderSqlServerDbContext> options) : ProviderDbContext(options);

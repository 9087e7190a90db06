using Microsoft.EntityFrameworkCore;

namespace Shop.Shipping.Data;

public sealed class ShippingPostgresDbContext(DbContextOptions<ShippingPostgresDbContext> options) : ShippingDbContext(options);

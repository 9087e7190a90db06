using Microsoft.EntityFrameworkCore;

namespace Shop.Shipping.Data;

public sealed class ShippingSqlServerDbContext(DbContextOptions<ShippingSqlServerDbContext> options) : ShippingDbContext(options);

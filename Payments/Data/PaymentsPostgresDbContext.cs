using Microsoft.EntityFrameworkCore;

namespace Shop.Payments.Data;

public sealed class PaymentsPostgresDbContext(DbContextOptions<PaymentsPostgresDbContext> options) : PaymentsDbContext(options);

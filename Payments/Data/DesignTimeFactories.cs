using Shop.Data;
using Shop.ServiceDefaults;

namespace Shop.Payments.Data;

sealed class PaymentsPostgresDesignTimeFactory : PostgresDesignTimeFactory<PaymentsPostgresDbContext>;

sealed class PaymentsSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<PaymentsSqlServerDbContext>;

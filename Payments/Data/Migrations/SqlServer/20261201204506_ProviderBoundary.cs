using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Payments.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ProviderBoundary : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PaymentToken",
                table: "Payments",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true);

            // A charge sent and never answered was "Pending"; it is now the intent the reconciler resolves.
            migrationBuilder.Sql("UPDATE [Payments] SET [Kind] = 'ChargeRequested' WHERE [Kind] = 'Pending'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("UPDATE [Payments] SET [Kind] = 'Pending' WHERE [Kind] = 'ChargeRequested'");
            migrationBuilder.DropColumn(
                name: "PaymentToken",
                table: "Payments");
        }
    }
}

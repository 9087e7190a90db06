using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Payments.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ProviderLinkAndSealedToken : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "PaymentToken",
                table: "Payments",
                type: "nvarchar(1024)",
                maxLength: 1024,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(100)",
                oldMaxLength: 100,
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KeyNonce",
                table: "Payments",
                type: "nchar(32)",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ShopPaymentId",
                table: "Payments",
                type: "uniqueidentifier",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "KeyNonce",
                table: "Payments");

            migrationBuilder.DropColumn(
                name: "ShopPaymentId",
                table: "Payments");

            migrationBuilder.AlterColumn<string>(
                name: "PaymentToken",
                table: "Payments",
                type: "nvarchar(100)",
                maxLength: 100,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "nvarchar(1024)",
                oldMaxLength: 1024,
                oldNullable: true);
        }
    }
}

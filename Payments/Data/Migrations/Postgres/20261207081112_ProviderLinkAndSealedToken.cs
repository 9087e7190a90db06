using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Payments.Data.Migrations.Postgres
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
                type: "character varying(1024)",
                maxLength: 1024,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(100)",
                oldMaxLength: 100,
                oldNullable: true);

            migrationBuilder.AddColumn<string>(
                name: "KeyNonce",
                table: "Payments",
                type: "character(32)",
                fixedLength: true,
                maxLength: 32,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "ShopPaymentId",
                table: "Payments",
                type: "uuid",
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
                type: "character varying(100)",
                maxLength: 100,
                nullable: true,
                oldClrType: typeof(string),
                oldType: "character varying(1024)",
                oldMaxLength: 1024,
                oldNullable: true);
        }
    }
}

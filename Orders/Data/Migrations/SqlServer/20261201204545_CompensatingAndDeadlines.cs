using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Orders.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class CompensatingAndDeadlines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "CompensationTimeoutTokenId",
                table: "OrderState",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "EscalatedAt",
                table: "OrderState",
                type: "datetimeoffset",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "PendingRefunds",
                table: "OrderState",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PendingShipmentCancels",
                table: "OrderState",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "PendingStockReleases",
                table: "OrderState",
                type: "int",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<Guid>(
                name: "ShipmentTimeoutTokenId",
                table: "OrderState",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "StockReservationTimeoutTokenId",
                table: "OrderState",
                type: "uniqueidentifier",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CompensationTimeoutTokenId",
                table: "OrderState");

            migrationBuilder.DropColumn(
                name: "EscalatedAt",
                table: "OrderState");

            migrationBuilder.DropColumn(
                name: "PendingRefunds",
                table: "OrderState");

            migrationBuilder.DropColumn(
                name: "PendingShipmentCancels",
                table: "OrderState");

            migrationBuilder.DropColumn(
                name: "PendingStockReleases",
                table: "OrderState");

            migrationBuilder.DropColumn(
                name: "ShipmentTimeoutTokenId",
                table: "OrderState");

            migrationBuilder.DropColumn(
                name: "StockReservationTimeoutTokenId",
                table: "OrderState");
        }
    }
}

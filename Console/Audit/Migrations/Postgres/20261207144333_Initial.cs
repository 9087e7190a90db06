using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Shop.Console.Audit.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "OperatorActions",
                columns: table => new
                {
                    OperationId = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Operator = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Action = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    At = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Queue = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: true),
                    MessageType = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    OrderId = table.Column<Guid>(type: "uuid", nullable: true),
                    Result = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OperatorActions", x => new { x.OperationId, x.MessageId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_OperatorActions_At",
                table: "OperatorActions",
                column: "At");

            migrationBuilder.CreateIndex(
                name: "IX_OperatorActions_OrderId",
                table: "OperatorActions",
                column: "OrderId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "OperatorActions");
        }
    }
}

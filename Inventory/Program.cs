using Shop.Inventory;
using Shop.Inventory.Apis;
using Shop.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddInventoryServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapInventoryApi();
app.Run();

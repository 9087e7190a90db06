using Shop.Orders;
using Shop.Orders.Apis;
using Shop.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddOrdersServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapOrdersApi();
app.Run();

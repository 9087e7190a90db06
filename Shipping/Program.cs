using Shop.ServiceDefaults;
using Shop.Shipping;
using Shop.Shipping.Apis;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddShippingServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapShippingApi();
app.Run();

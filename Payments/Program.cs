using Shop.Payments;
using Shop.Payments.Apis;
using Shop.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddPaymentsServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapPaymentsApi();
app.Run();

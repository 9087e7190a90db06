using Shop.PaymentProvider;
using Shop.PaymentProvider.Apis;
using Shop.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults(identities: false);
builder.AddPaymentProviderServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapPaymentProviderApi();
app.Run();

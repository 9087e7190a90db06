using Shop.LoadTest;

// dotnet run -c Release --project bench/Shop.LoadTest -- --help
return await LoadTestCommand.RunAsync(args);

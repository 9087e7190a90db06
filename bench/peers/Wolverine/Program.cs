using Shop.Bench.Raw;
using Shop.Peers.Wolverine;

// dotnet run -c Release --project bench/peers/Wolverine -- [messages=20000] [warmup=20000]
// The unit of work of bench/Shop.Messaging.Benchmark (one row per message) on Wolverine's recommended durable setup,
// against the same local RabbitMQ and PostgreSQL (scripts/infra-up.sh; shop/shop development credentials).
// bench/peers/compare.sh runs both back to back and prints the ratio.
var messages = args.Length > 0 ? int.Parse(args[0]) : 20_000;
var warmup = args.Length > 1 ? int.Parse(args[1]) : 20_000;
var settings = BenchSettings.FromEnvironment();

Console.WriteLine($"Messages: {messages} (after {warmup} untimed); cores: {Environment.ProcessorCount}");
var result = await PeerPassThrough.Measure(settings, messages, warmup);
Console.WriteLine($"Wolverine consume → update → outbox → send: {result:F0} msg/s");

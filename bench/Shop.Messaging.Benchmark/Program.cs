using Shop.Bench.Raw;
using Shop.Messaging.Benchmark;

// dotnet run -c Release --project bench/Shop.Messaging.Benchmark -- [messages=20000] [rows=messages] [warmup=20000] [signing=ab]
// Needs the local RabbitMQ and PostgreSQL of scripts/infra-up.sh (loopback, shop/shop development credentials).
var messages = args.Length > 0 ? int.Parse(args[0]) : 20_000;
// How many rows the consumers update: one per message by default (as one saga per order); few rows means many
// optimistic-concurrency conflicts, each retried.
var rows = args.Length > 1 ? int.Parse(args[1]) : messages;
// Messages run untimed first, so the figure is the steady state of a warm process, not its JIT: on two busy cores
// the tiered JIT is still recompiling hot code for the first 15-20 s. Pass 0 for a cold start.
var warmup = args.Length > 2 ? int.Parse(args[2]) : 20_000;
// Message signing (ECDSA P-256 at send, verification at receive): "on", "off", or "ab" — off, on, off, on in this one
// process, each pass-through on its own fresh database and queue, to give its cost against the same machine state.
var signing = args.Length > 3 ? args[3] : "ab";
var settings = BenchSettings.FromEnvironment();

Console.WriteLine($"Messages per measurement: {messages} (after {warmup} untimed); rows updated: {rows}; cores: {Environment.ProcessorCount}");
var rabbit = await RawBroker.PublishRate(settings, messages);
Console.WriteLine($"raw RabbitMQ   persistent publish + confirms : {rabbit,8:N0} msg/s");
var postgres = await RawDatabase.CommitRate(settings, messages, connections: 4);
Console.WriteLine($"raw PostgreSQL update + 600 B insert, commit  : {postgres,8:N0} tx/s (4 connections)");
var (signUs, verifyUs) = BenchSigning.CostPerMessage();
Console.WriteLine($"ECDSA P-256, 600 B envelope, one thread: sign {signUs:F0} µs, verify {verifyUs:F0} µs per message");
PassThroughResult? result = null;
var rates = new Dictionary<bool, List<double>> { [false] = [], [true] = [] };
bool[] runs = signing switch { "on" => [true], "off" => [false], _ => [false, true, false, true] };
foreach (var signed in runs)
{
    result = await PassThrough.Measure(settings, messages, rows, warmup, latencySamples: 200, signing: signed);
    rates[signed].Add(result.MessagesPerSecond);
    Console.WriteLine($"Shop.Messaging consume → update → outbox → send, signing {(signed ? "on " : "off")}: {result.MessagesPerSecond,8:N0} msg/s" +
        $" (idle commit → consumer p50 {result.IdleCommitToConsumerMs.P50:F1} ms)");
}

var passThrough = rates.Values.SelectMany(x => x).Average();
Console.WriteLine($"  ratio to raw broker publish: {passThrough / rabbit:P0}; to raw commit rate: {passThrough / postgres:P0}");
Console.WriteLine("  per message: 1 broker receive, 1 transaction (inbox claim, row read + update, outbox rows), 1 broker send; outbox delivery in batches");
if (rates[false].Count > 0 && rates[true].Count > 0)
{
    var off = rates[false].Average();
    var on = rates[true].Average();
    Console.WriteLine($"Signing: off {off:N0} msg/s, on {on:N0} msg/s (means of {rates[true].Count}); on/off = {on / off:P1}, cost {1 - on / off:P1}");
}

var idle = result!.IdleCommitToConsumerMs;
Console.WriteLine($"Idle, one message at a time (200): commit → broker → consumer p50 {idle.P50:F1} ms, p95 {idle.P95:F1} ms, p99 {idle.P99:F1} ms, max {idle.Max:F1} ms");

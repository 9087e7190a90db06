using Shop.Bench.Raw;
using Shop.Messaging.Benchmark;

// dotnet run -c Release --project bench/Shop.Messaging.Benchmark -- [messages=20000] [rows=messages]
// Needs the local RabbitMQ and PostgreSQL of scripts/infra-up.sh (loopback, shop/shop development credentials).
var messages = args.Length > 0 ? int.Parse(args[0]) : 20_000;
// How many rows the consumers update: one per message by default (as one saga per order); few rows means many
// optimistic-concurrency conflicts, each retried.
var rows = args.Length > 1 ? int.Parse(args[1]) : messages;
var settings = BenchSettings.FromEnvironment();

Console.WriteLine($"Messages per measurement: {messages}; rows updated: {rows}; cores: {Environment.ProcessorCount}");
var rabbit = await RawBroker.PublishRate(settings, messages);
Console.WriteLine($"raw RabbitMQ   persistent publish + confirms : {rabbit,8:N0} msg/s");
var postgres = await RawDatabase.CommitRate(settings, messages, connections: 4);
Console.WriteLine($"raw PostgreSQL update + 600 B insert, commit  : {postgres,8:N0} tx/s (4 connections)");
var passThrough = await PassThrough.Rate(settings, messages, rows);
Console.WriteLine($"Shop.Messaging consume → update → outbox → send: {passThrough,8:N0} msg/s");
Console.WriteLine($"  ratio to raw broker publish: {passThrough / rabbit:P0}; to raw commit rate: {passThrough / postgres:P0}");
Console.WriteLine("  per message: 1 inbox check, 1 consume transaction (inbox row + state + outbox rows), 1 broker receive, 1 broker send");

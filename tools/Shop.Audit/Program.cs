using Shop.Audit;

return await AuditCommand.RunAsync(args, Console.Out, CancellationToken.None);

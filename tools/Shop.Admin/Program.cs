using Shop.Admin.Cli;

return await AdminCommandLine.InvokeAsync(args, AdminConsole.Standard);

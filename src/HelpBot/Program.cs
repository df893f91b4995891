using HelpBot.Hosting;
using Microsoft.Extensions.Options;

try
{
    return args.FirstOrDefault() switch
    {
        "export" => await ExportVerb.RunAsync(args[1..], Console.Out),
        "healthcheck" => await HealthCheckVerb.RunAsync(args[1..]),
        _ => await RunAsync(args),
    };
}
catch (OptionsValidationException ex)
{
    foreach (var failure in ex.Failures)
    {
        Console.Error.WriteLine($"HelpBot cannot start: {failure}");
    }
    return 2;
}

static async Task<int> RunAsync(string[] args)
{
    await using var app = HelpBotHost.Build(args);
    await app.RunAsync();
    return Environment.ExitCode;
}

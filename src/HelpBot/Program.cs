using HelpBot.Hosting;
using Microsoft.Extensions.Options;

try
{
    return args.FirstOrDefault() switch
    {
        "export" => await ExportVerb.RunAsync(args[1..], Console.Out),
        "healthcheck" => await HealthCheckVerb.RunAsync(args[1..]),
        "backup" => await BackupVerb.RunAsync(args[1..], Console.Out),
        _ => await HelpBotHost.RunAsync(args),
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

using System.Globalization;
using HelpBot.Reports;
using HelpBot.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HelpBot.Hosting;

/// <summary><c>export [--from YYYY-MM-DD] [--to YYYY-MM-DD]</c>: the tickets as CSV on standard output.</summary>
public static class ExportVerb
{
    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        DateOnly? from = null, to = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--from" when i + 1 < args.Length && TryDate(args[i + 1], out var f):
                    from = f;
                    i++;
                    break;
                case "--to" when i + 1 < args.Length && TryDate(args[i + 1], out var t):
                    to = t;
                    i++;
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal) && args[i] is not ("--from" or "--to"))
                    {
                        // Leave host switches (--ConnectionStrings:HelpBot=...) to the configuration.
                        if (args[i].Contains('=', StringComparison.Ordinal)) break;
                    }
                    await Console.Error.WriteLineAsync(
                        $"export: cannot read \"{args[i]}\". Usage: export [--from YYYY-MM-DD] [--to YYYY-MM-DD] (days in Asia/Ho_Chi_Minh, both inclusive)");
                    return 2;
            }
        }

        var builder = Host.CreateApplicationBuilder(args.Where(a => a.Contains('=', StringComparison.Ordinal)).ToArray());
        builder.AddHelpBotLogging(toStandardError: true);
        builder.Services.AddStorage(builder.Configuration.GetConnectionString("HelpBot"));
        using var host = builder.Build();
        await host.Services.GetRequiredService<Migrator>().MigrateAsync();
        await using var connection = await host.Services.GetRequiredService<Database>().OpenAsync();
        var (start, end) = Periods.DayRange(from, to);
        await CsvExport.WriteAsync(connection, output, start, end);
        return 0;
    }

    private static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}

using Microsoft.Extensions.Configuration;

namespace HelpBot.Hosting;

/// <summary><c>healthcheck</c>: asks the running HelpBot's <c>/healthz</c>; exit 0 when healthy. For container health checks.</summary>
public static class HealthCheckVerb
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        var urls = configuration["HelpBot:Http:Urls"] is { Length: > 0 } u ? u : HelpBotHost.DefaultUrls;
        var first = urls.Split(';', StringSplitOptions.RemoveEmptyEntries)[0]
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)
            .Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(4) };
        try
        {
            using var response = await http.GetAsync(new Uri(new Uri(first), "/healthz"));
            await Console.Out.WriteLineAsync($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"HelpBot is not answering at {first}: {ex.Message}");
            return 1;
        }
    }
}

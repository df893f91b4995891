using HelpBot.Inbox;
using HelpBot.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloBot;

public static class ZaloBotExtensions
{
    /// <summary>What a Zalo Bot Platform message can do: plain texts and photos, nothing more.</summary>
    public static readonly ChannelFeatures Features = new(Replies: false, Buttons: false, Edits: false, Copies: false) { Files = false };

    public static IServiceCollection AddZaloBotChannel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ZaloBotOptions>().BindConfiguration(ZaloBotOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ZaloBotOptions>, ZaloBotOptionsValidator>();

        // Every request address holds the token: the HttpClient must never log requests.
        var poll = configuration.GetSection(ZaloBotOptions.Section).GetValue<int?>(nameof(ZaloBotOptions.PollTimeoutSeconds)) ?? 30;
        services.AddHttpClient(ZaloBotClient.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(Math.Clamp(poll, 1, 60) + 30))
            .RemoveAllLoggers();
        services.AddSingleton<ZaloBotClient>();
        services.AddSingleton<ZaloBot>();
        services.AddSingleton<ZaloBotUpdateReader>();
        services.AddHealthChecks().AddCheck<ZaloBotHealthCheck>(ZaloBotUpdateReader.Channel);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ZaloBotOptions>>().Value;
            var bot = sp.GetRequiredService<ZaloBot>();
            return new ChannelChats(ZaloBotUpdateReader.Channel, Features,
                o.SupportChatIds.Select(id => id.Trim()).ToList(), string.IsNullOrWhiteSpace(o.StaffChatId) ? null : o.StaffChatId.Trim())
            {
                // A Zalo group delivers only the messages that mention the bot.
                GroupMention = () => bot.Mention,
            };
        });
        services.AddSingleton<IChannelSender>(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<ZaloBotOptions>>().Value.Limits;
            return new ZaloBotSender(sp.GetRequiredService<ZaloBotClient>(), sp.GetRequiredService<TextChoices>(),
                limits.ToBudget(),
                sp.GetRequiredService<ILogger<ZaloBotSender>>());
        });
        if (ReadMode(configuration) == ZaloBotMode.Webhook)
        {
            services.AddHostedService<ZaloBotWebhookRegistration>();
            services.AddSingleton(ZaloBotWebhook.AsEndpoint());
        }
        else
        {
            services.AddHostedService<ZaloBotPoller>();
        }
        return services;
    }

    private static ZaloBotMode ReadMode(IConfiguration configuration)
    {
        try
        {
            return configuration.GetSection(ZaloBotOptions.Section).GetValue(nameof(ZaloBotOptions.Mode), ZaloBotMode.Webhook);
        }
        catch (InvalidOperationException ex)
        {
            throw new OptionsValidationException(ZaloBotOptions.Section, typeof(ZaloBotOptions),
                [$"HelpBot:Zalo:Bot:Mode must be Webhook or Polling ({ex.Message})"]);
        }
    }
}

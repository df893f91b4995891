using HelpBot.Hosting;
using HelpBot.Inbox;
using HelpBot.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using global::Telegram.Bot;

namespace HelpBot.Channels.Telegram;

public static class TelegramExtensions
{
    public static IServiceCollection AddTelegramChannel(this IServiceCollection services, TelegramMode mode)
    {
        services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>();

        // The Bot API puts the token in every request URL: the client's HttpClient must never log requests.
        services.AddHttpClient("telegram", http => http.Timeout = TimeSpan.FromSeconds(90)).RemoveAllLoggers();
        services.AddSingleton<ITelegramBotClient>(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient("telegram");
            // The outbox dispatcher owns retries (with the row's back-off and budgets); the client must not retry too.
            return new TelegramBotClient(new TelegramBotClientOptions(o.BotToken!, o.ApiBaseUrl) { RetryCount = 0 }, http);
        });
        services.AddSingleton<TelegramBot>();
        services.AddHealthChecks().AddCheck<TelegramHealthCheck>("telegram");
        services.AddSingleton<TelegramCommandMenu>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<TelegramOptions>>().Value;
            return new ChannelChats(TelegramUpdateMapper.Channel, ChannelFeatures.All,
                o.SupportChatIds.Select(Id).ToList(), o.StaffChatId == 0 ? null : Id(o.StaffChatId));
        });
        services.AddSingleton<IChannelSender>(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<TelegramOptions>>().Value.Limits;
            return new TelegramSender(sp.GetRequiredService<ITelegramBotClient>(),
                limits.ToBudget());
        });
        if (mode == TelegramMode.Webhook)
        {
            services.AddHostedService<TelegramWebhookRegistration>();
            services.AddSingleton(TelegramWebhook.AsEndpoint());
        }
        else
        {
            services.AddHostedService<TelegramPoller>();
        }
        return services;
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

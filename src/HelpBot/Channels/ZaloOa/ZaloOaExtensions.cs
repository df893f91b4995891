using HelpBot.Inbox;
using HelpBot.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloOa;

public static class ZaloOaExtensions
{
    /// <summary>
    /// OA messages have no buttons, no edits and no copies. Replies: a person's quote does reach HelpBot, but nothing
    /// documents quotes in group events, so a staff chat on OA works by "/claim 12" and "#12 ..." instead.
    /// </summary>
    public static readonly ChannelFeatures Features = new(Replies: false, Buttons: false, Edits: false, Copies: false) { Files = false };

    public static IServiceCollection AddZaloOaChannel(this IServiceCollection services)
    {
        services.AddOptions<ZaloOaOptions>().BindConfiguration(ZaloOaOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ZaloOaOptions>, ZaloOaOptionsValidator>();
        // Requests carry the access token and the app secret in headers: the client must never log them.
        services.AddHttpClient(ZaloOaApi.HttpClientName, http => http.Timeout = TimeSpan.FromSeconds(30)).RemoveAllLoggers();
        services.AddHttpClient(ZaloOaOAuth.HttpClientName, http => http.Timeout = ZaloOaOAuth.Timeout).RemoveAllLoggers();
        services.AddSingleton<ZaloOaApi>();
        services.AddSingleton<ZaloOaOAuth>();
        services.AddSingleton<ZaloOaTokens>();
        services.AddHostedService<ZaloOaTokenKeeper>();
        services.AddSingleton<ZaloOaProfiles>();
        services.AddHostedService(sp => sp.GetRequiredService<ZaloOaProfiles>());
        services.AddHealthChecks().AddCheck<ZaloOaHealthCheck>(ZaloOaEventMapper.Channel);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<ZaloOaOptions>>().Value;
            return new ChannelChats(ZaloOaEventMapper.Channel, Features, o.SupportGroupIds.Select(g => g.Trim()).ToList(),
                string.IsNullOrWhiteSpace(o.StaffGroupId) ? null : o.StaffGroupId.Trim());
        });
        services.AddSingleton<IChannelSender>(sp =>
        {
            var limits = sp.GetRequiredService<IOptions<ZaloOaOptions>>().Value.Limits;
            return new ZaloOaSender(sp.GetRequiredService<ZaloOaApi>(), sp.GetRequiredService<ZaloOaTokens>(), sp.GetRequiredService<TextChoices>(),
                limits.ToBudget(),
                sp.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton(ZaloOaWebhook.AsEndpoint());
        return services;
    }
}

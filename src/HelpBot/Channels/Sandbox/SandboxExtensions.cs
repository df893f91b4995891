using HelpBot.Inbox;
using HelpBot.Outbox;
using Microsoft.Extensions.DependencyInjection;

namespace HelpBot.Channels.Sandbox;

public static class SandboxExtensions
{
    public static IServiceCollection AddSandboxChannel(this IServiceCollection services)
    {
        services.AddOptions<SandboxOptions>().BindConfiguration(SandboxOptions.Section);
        // The page's requests and answers are read and written with the generated JSON (no reflection).
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SandboxJson.Default));
        services.AddSingleton<SandboxClock>();
        services.AddSingleton<TimeProvider>(sp => sp.GetRequiredService<SandboxClock>());
        services.AddSingleton(new ChannelChats(SandboxChats.Channel, ChannelFeatures.All, [SandboxChats.Group], SandboxChats.Staff));
        services.AddSingleton<SandboxHub>();
        services.AddSingleton<SandboxMessages>();
        services.AddSingleton<SandboxChannel>();
        services.AddSingleton<IChannelSender, SandboxSender>();
        services.AddSingleton<DemoSeeder>();
        // The trainer plays the commune's admin.
        services.AddOptions<DeskOptions>().PostConfigure<Microsoft.Extensions.Options.IOptions<SandboxOptions>>(
            (desk, sandbox) => desk.Admins.Add($"{SandboxChats.Channel}:{sandbox.Value.Admin.Id}"));
        return services;
    }
}

using HelpBot.Categories;
using HelpBot.Commands;
using HelpBot.Inbox;
using HelpBot.Outbox;
using HelpBot.Service;
using HelpBot.Team;
using HelpBot.Text;
using HelpBot.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HelpBot.Hosting;

public static class DeskExtensions
{
    /// <summary>The channel-neutral help desk: inbox, router, tickets, commands, outbox.</summary>
    public static IServiceCollection AddDesk(this IServiceCollection services)
    {
        services.AddOptions<DeskOptions>().BindConfiguration(DeskOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DeskOptions>, DeskOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        // One resource per language; Vietnamese unless HelpBot:Language says otherwise.
        services.AddSingleton<Texts>(sp =>
            sp.GetRequiredService<IOptions<DeskOptions>>().Value.Language == "en" ? new EnglishTexts() : new Texts());
        services.AddOptions<CategoryOptions>().BindConfiguration(DeskOptions.Section);
        services.AddSingleton<CategoryCatalog>();
        services.AddSingleton<IChatDirectory, ChatDirectory>();
        services.AddSingleton<Roles>();
        services.AddSingleton<TicketDesk>();
        services.AddSingleton<StaffCommands>();
        services.AddSingleton<TeamCommands>();
        services.AddSingleton<ModerationCommands>();
        services.AddSingleton<Router>();
        services.AddSingleton<TextChoices>();
        services.AddSingleton<FloodGuard>();
        services.AddSingleton<InboxProcessor>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddOptions<CalendarOptions>().BindConfiguration("HelpBot:Calendar");
        services.AddSingleton<WorkingCalendar>();
        services.AddSingleton<Visits>();
        services.AddSingleton<SlaService>();
        services.AddHostedService(sp => sp.GetRequiredService<SlaService>());
        services.AddSingleton<AutoResolveService>();
        services.AddHostedService(sp => sp.GetRequiredService<AutoResolveService>());
        return services;
    }
}

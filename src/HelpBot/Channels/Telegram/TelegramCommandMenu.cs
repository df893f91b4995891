using HelpBot.Commands;
using HelpBot.Team;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using global::Telegram.Bot;
using global::Telegram.Bot.Types;

namespace HelpBot.Channels.Telegram;

/// <summary>
/// Registers the command menus per scope, from the authorisation table: citizens see how to ask, the staff
/// chat sees the team's commands, each configured admin sees everything in their private chat.
/// </summary>
public sealed class TelegramCommandMenu(
    ITelegramBotClient client, HelpBot.Inbox.IChatDirectory chats, IOptions<DeskOptions> desk, HelpBot.Text.Texts texts, ILogger<TelegramCommandMenu> logger)
{
    public async Task RegisterAsync(CancellationToken cancellationToken)
    {
        try
        {
            await client.SetMyCommands(Menu(Role.Citizen, Where.Private), BotCommandScope.AllPrivateChats(), cancellationToken: cancellationToken);
            await client.SetMyCommands(Menu(Role.Citizen, Where.SupportGroup), BotCommandScope.AllGroupChats(), cancellationToken: cancellationToken);
            if (chats.Staff.Channel == TelegramUpdateMapper.Channel && long.TryParse(chats.Staff.ChatId, out var staffChat))
            {
                await client.SetMyCommands(Menu(Role.Member, Where.StaffChat), BotCommandScope.Chat(staffChat), cancellationToken: cancellationToken);
            }
            foreach (var admin in desk.Value.Admins)
            {
                var parts = admin.Split(':', 2);
                if (parts is [var channel, var id] && channel.Trim() == TelegramUpdateMapper.Channel && long.TryParse(id, out var userId))
                {
                    await client.SetMyCommands(Menu(Role.Admin, Where.Private), BotCommandScope.Chat(userId), cancellationToken: cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The menus are a convenience; the commands work without them.
            logger.LogWarning(ex, "Could not register the Telegram command menus");
        }
    }

    private IEnumerable<BotCommand> Menu(Role role, Where where) =>
        CommandCatalog.For(role, where).Select(c => new BotCommand { Command = c.Name, Description = texts.CommandDescription(c.Name) });
}

using Dapper;
using HelpBot.Inbox;
using HelpBot.Storage;
using HelpBot.Text;
using HelpBot.Tickets;

namespace HelpBot.Commands;

/// <summary>/ban, /unban and /forget (admins). Authorisation has already happened in the router.</summary>
public sealed class ModerationCommands(TicketDesk desk, Texts texts, TimeProvider time)
{
    public const string Forgotten = "forgotten";

    public async Task<string> RunAsync(DeskSession s, InboundEvent e, CommandLine command, Actor admin)
    {
        var (who, reason) = await TargetAsync(s, e, command);
        if (who is null)
        {
            return texts.Usage(texts.CommandUsage(command.Name));
        }
        switch (command.Name)
        {
            case "ban":
                await s.BanAsync(e.Channel, who, time.GetUtcNow(), admin, reason.Length == 0 ? null : reason);
                await desk.RecordAdminActionAsync(s, admin, $"ban {e.Channel}:{who}");
                return texts.Banned(who);
            case "unban":
                var was = await s.UnbanAsync(e.Channel, who);
                if (was)
                {
                    await desk.RecordAdminActionAsync(s, admin, $"unban {e.Channel}:{who}");
                }
                return was ? texts.Unbanned(who) : texts.NotBanned(who);
            default:
                var tickets = await ForgetAsync(s, e.Channel, who);
                // The audit trail keeps that it happened, not whom it was about.
                await desk.RecordAdminActionAsync(s, admin, $"forget one citizen ({tickets} tickets)");
                return texts.Forgot(tickets);
        }
    }

    /// <summary>"/ban 12345 lý do", "/forget #12" (the citizen who asked ticket 12), or as a reply to their message.</summary>
    private static async Task<(string? Who, string Reason)> TargetAsync(DeskSession s, InboundEvent e, CommandLine command)
    {
        var parts = command.Arguments.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length > 0 && parts[0].StartsWith('#') && long.TryParse(parts[0][1..], out var ticketId))
        {
            return ((await s.GetTicketAsync(ticketId))?.CitizenId is { } citizen && citizen != Forgotten ? citizen : null, parts.Length > 1 ? parts[1] : "");
        }
        if (parts.Length > 0 && parts[0].All(char.IsAsciiDigit))
        {
            return (parts[0], parts.Length > 1 ? parts[1] : "");
        }
        return e.ReplyToUser is { IsBot: false } replied ? (replied.Id, command.Arguments) : (null, "");
    }

    /// <summary>
    /// Erases what identifies a citizen (name, id, private chat, the words of their questions and
    /// follow-ups, the links to their messages, their conversation, unsent messages to them) and keeps
    /// the anonymous timings, states and categories the statistics need.
    /// </summary>
    private async Task<int> ForgetAsync(DeskSession s, string channel, string userId)
    {
        var args = new { channel, userId, actor = $"{channel}:{userId}", forgotten = Forgotten, name = texts.ForgottenName, question = texts.ForgottenQuestion };
        var ids = (await s.Connection.QueryAsync<long>(
            "SELECT id FROM tickets WHERE channel = @channel AND citizen_id = @userId", args, s.Transaction)).AsList();
        await s.Connection.ExecuteAsync(
            """
            UPDATE ticket_events SET detail = NULL WHERE kind = 'FollowUp' AND ticket_id IN (SELECT id FROM tickets WHERE channel = @channel AND citizen_id = @userId);
            UPDATE ticket_events SET actor_id = @forgotten, actor_name = @name WHERE actor_id = @actor;
            DELETE FROM message_links WHERE role IN ('question', 'followup', 'ack', 'answer')
                AND ticket_id IN (SELECT id FROM tickets WHERE channel = @channel AND citizen_id = @userId);
            UPDATE outbox SET state = 'dead', last_error = 'forgotten', payload = '{}'
                WHERE channel = @channel AND state = 'pending' AND chat_id = @userId;
            UPDATE outbox SET payload = '{}'
                WHERE ticket_id IN (SELECT id FROM tickets WHERE channel = @channel AND citizen_id = @userId);
            DELETE FROM conversations WHERE channel = @channel AND user_id = @userId;
            DELETE FROM media WHERE channel = @channel AND user_id = @userId;
            UPDATE tickets SET citizen_id = @forgotten, citizen_name = @name, question = @question, message_id = '',
                chat_id = CASE WHEN chat_kind = 'private' THEN @forgotten ELSE chat_id END
            WHERE channel = @channel AND citizen_id = @userId;
            """, args, s.Transaction);
        // The cards in the staff chat show the erased version too.
        foreach (var id in ids)
        {
            if (await s.GetTicketAsync(id) is { } ticket)
            {
                await desk.EditCardAsync(s, ticket);
            }
        }
        return ids.Count;
    }
}

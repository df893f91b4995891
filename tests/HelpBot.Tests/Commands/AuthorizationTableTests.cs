using System.Globalization;
using Dapper;
using HelpBot.Commands;
using HelpBot.Inbox;
using HelpBot.Tests.Support;
using HelpBot.Tickets;

namespace HelpBot.Tests.Commands;

/// <summary>
/// Walks the whole authorisation table through the real router: every command, typed by every role,
/// in every kind of chat, and checks what the person gets back. The expectations are written out here,
/// independently of <see cref="CommandCatalog"/>, so a change to who may do what shows up as a failure.
/// </summary>
public sealed class AuthorizationTableTests : IAsyncLifetime
{
    private enum Who { Citizen, Member, Admin }

    private enum Chat { Private, Group, Staff }

    private enum Outcome { Done, StaffOnly, AdminOnly, Silent, Help }

    private const string C = "citizen";
    private const string M = "member";
    private const string A = "admin";

    // command typed → the least role it needs and the chats it works in (p = private, g = group, s = staff chat).
    private static readonly Dictionary<string, (string Role, string Chats)> Table = new()
    {
        ["/start"] = (C, "p"),   // in the staff chat it shows the team's help, as /help does
        ["/help"] = (C, "pgs"),
        ["/hoi cho hỏi làm căn cước ở đâu"] = (C, "pg"),
        ["/claim 99"] = (M, "ps"),
        ["/unclaim 99"] = (M, "ps"),
        ["/close 99"] = (M, "ps"),
        ["/reopen 99"] = (M, "ps"),
        ["/open"] = (M, "ps"),
        ["/mine"] = (M, "ps"),
        ["/ticket 99"] = (M, "ps"),
        ["/cat 99 khac"] = (M, "ps"),
        ["/visit 99 Thôn 1 nhà văn hoá"] = (M, "ps"),
        ["/away"] = (M, "ps"),
        ["/back"] = (M, "ps"),
        ["/stats"] = (A, "ps"),
        ["/team"] = (A, "ps"),
        ["/admin"] = (A, "ps"),
        ["/export"] = (A, "ps"),
        ["/ban 424242"] = (A, "ps"),
        ["/unban 424242"] = (A, "ps"),
        ["/forget 434343"] = (A, "ps"),
        ["/faq list"] = (A, "ps"),
    };

    private HelpBotHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await HelpBotHarness.StartAsync();
        // The member joins the team by writing in the staff chat.
        _h.InStaffChat(601, "Lan", "Chào cả tổ");
        await _h.SettleAsync();
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private static Outcome Expected(string command, Who who, Chat chat)
    {
        var (role, chats) = Table[command];
        // Writing in the staff chat makes anyone a team member: a citizen there is a member.
        var effective = chat == Chat.Staff && who == Who.Citizen ? Who.Member : who;
        var needed = role switch { C => Who.Citizen, M => Who.Member, _ => Who.Admin };
        if (effective < needed)
        {
            return needed == Who.Admin && effective == Who.Member ? Outcome.AdminOnly : Outcome.StaffOnly;
        }
        var code = chat switch { Chat.Private => 'p', Chat.Group => 'g', _ => 's' };
        if (chats.Contains(code, StringComparison.Ordinal) || (command == "/start" && chat == Chat.Staff))
        {
            return Outcome.Done;
        }
        // In the public group, a command in the wrong place says nothing; elsewhere it shows how to work.
        return chat == Chat.Group ? Outcome.Silent : Outcome.Help;
    }

    [Fact]
    public void The_table_covers_every_command_the_bot_knows() =>
        Assert.Equal(CommandCatalog.All.Select(c => c.Name).Order(), Table.Keys.Select(k => CommandLine.Parse(k)!.Name).Order());

    [Fact]
    public async Task Every_command_by_every_role_in_every_chat_gets_what_the_table_says()
    {
        var inbox = _h.Service<InboxProcessor>();
        var texts = _h.Service<HelpBot.Text.Texts>();
        var failures = new List<string>();
        var n = 0;
        foreach (var command in Table.Keys)
        {
            foreach (var who in Enum.GetValues<Who>())
            {
                foreach (var chat in Enum.GetValues<Chat>())
                {
                    n++;
                    var userId = who switch { Who.Citizen => 100_000 + n, Who.Member => 601, _ => HelpBotHarness.AdminId };
                    var chatId = chat switch
                    {
                        Chat.Private => userId,
                        Chat.Group => HelpBotHarness.Group,
                        _ => HelpBotHarness.StaffChat,
                    };
                    var before = await _h.ScalarAsync("SELECT coalesce(max(id), 0) FROM outbox");
                    await inbox.ProcessAsync([new InboundEvent
                    {
                        Channel = "telegram", EventId = $"auth:{n}", Kind = InboundKind.Text,
                        ChatId = chatId.ToString(CultureInfo.InvariantCulture),
                        ChatKind = chat == Chat.Private ? ChatKinds.Private : ChatKinds.Group,
                        ChatTitle = chat == Chat.Group ? HelpBotHarness.GroupTitle : null,
                        From = new InboundUser(userId.ToString(CultureInfo.InvariantCulture), who.ToString()),
                        MessageId = (10_000 + n).ToString(CultureInfo.InvariantCulture), Text = command,
                    }]);
                    await using var connection = await _h.Db.Database.OpenAsync();
                    var replies = (await connection.QueryAsync<string>(
                        "SELECT payload FROM outbox WHERE id > @before AND chat_id = @chat",
                        new { before, chat = chatId.ToString(CultureInfo.InvariantCulture) })).ToList();
                    var all = string.Join("\n", replies);
                    var actual = replies.Count == 0 ? Outcome.Silent
                        : all.Contains(Json(texts.StaffOnly), StringComparison.Ordinal) ? Outcome.StaffOnly
                        : all.Contains(Json(texts.AdminOnly), StringComparison.Ordinal) ? Outcome.AdminOnly
                        : all.Contains(Json(texts.StaffHelp(false)[..30]), StringComparison.Ordinal) && command is not ("/help" or "/start") ? Outcome.Help
                        : all.Contains(Json(texts.Welcome[..30]), StringComparison.Ordinal) && command != "/start" && command != "/help" ? Outcome.Help
                        : Outcome.Done;
                    var expected = Expected(command, who, chat);
                    if (actual != expected)
                    {
                        failures.Add($"{command} by {who} in {chat}: expected {expected}, got {actual}");
                    }
                }
            }
        }
        Assert.Equal(Table.Count * 9, n);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static string Json(string text) => System.Text.Json.JsonSerializer.Serialize(text)[1..^1];
}

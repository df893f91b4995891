using HelpBot.Commands;
using HelpBot.Conversations;
using HelpBot.Outbox;
using HelpBot.Storage;
using HelpBot.Team;
using HelpBot.Text;
using HelpBot.Tickets;
using Microsoft.Extensions.Logging;

namespace HelpBot.Inbox;

/// <summary>
/// Decides what an inbound event means (a question, a follow-up, an answer, a button, a command) and
/// hands it to the ticket desk or the commands. Runs inside the inbox's transaction.
/// </summary>
public sealed class Router(
    IChatDirectory chats, Roles roles, TicketDesk desk, StaffCommands commands, FloodGuard flood, HelpBot.Service.Visits visits,
    TextChoices choices, Texts texts, TimeProvider time, ILogger<Router> logger)
{
    public Texts Texts => texts;

    public async Task RouteAsync(DeskSession s, InboundEvent e)
    {
        if (e.From.IsBot)
        {
            return;
        }
        var isStaffChat = chats.IsStaffChat(e.Channel, e.ChatId);
        var isPrivate = e.ChatKind == ChatKinds.Private;
        if (visits.VillageByChat(e.Channel, e.ChatId) is not null)
        {
            await OnVillageChatAsync(s, e);
            return;
        }
        if (!isStaffChat && !isPrivate && !chats.IsSupportGroup(e.Channel, e.ChatId))
        {
            if (await s.MarkIgnoredChatAsync(e.Channel, e.ChatId, e.ChatTitle, time.GetUtcNow()))
            {
                logger.LogWarning(
                    "Ignoring {Channel} chat {ChatId} ({ChatTitle}): it is not a configured support group or the staff chat",
                    e.Channel, e.ChatId, e.ChatTitle);
            }
            await s.SetInboxOutcomeAsync(e.Channel, e.EventId, "ignored");
            return;
        }
        // Whoever can see the staff chat is on the team; pressing a card's button counts as writing there.
        var role = isStaffChat
            ? roles.Of(e.Channel, e.From.Id, await EnrolAsync(s, e))
            : await roles.ResolveAsync(s, e.Channel, e.From.Id);
        var where = isStaffChat ? Where.StaffChat : isPrivate ? Where.Private : Where.SupportGroup;

        if (role == Role.Citizen && !isStaffChat)
        {
            if (await s.IsBannedAsync(e.Channel, e.From.Id))
            {
                await s.SetInboxOutcomeAsync(e.Channel, e.EventId, "banned");
                return;
            }
            switch (flood.Check(e.Channel, e.From.Id))
            {
                case FloodGuard.Verdict.JustOver:
                    logger.LogWarning("Flood control: {Channel} user {UserId} sent too many messages in a minute; setting the rest aside", e.Channel, e.From.Id);
                    await s.SetInboxOutcomeAsync(e.Channel, e.EventId, "flood");
                    if (e.Kind != InboundKind.Button)
                    {
                        await ReplyAsync(s, e, texts.TooManyMessages);
                    }
                    else
                    {
                        await AnswerButtonAsync(s, e, texts.TooManyMessages);
                    }
                    return;
                case FloodGuard.Verdict.Over:
                    await s.SetInboxOutcomeAsync(e.Channel, e.EventId, "flood");
                    if (e.Kind == InboundKind.Button)
                    {
                        await AnswerButtonAsync(s, e, null);
                    }
                    return;
            }
        }

        if (e.Kind == InboundKind.Text && !chats.FeaturesOf(e.Channel).Buttons && TextChoices.NumberOf(e.Text) is { } number
            && await choices.TakeAsync(s, e.Channel, e.ChatId, e.From.Id, number) is { } chosen)
        {
            // On a channel without buttons, "1" answers the numbered choices the bot offered in this chat.
            e = e with { Kind = InboundKind.Button, ButtonData = chosen, ButtonMessageId = null, ButtonQueryId = null };
        }
        if (e.Kind == InboundKind.Button)
        {
            await OnButtonAsync(s, e, role);
            return;
        }
        if (e.AttachmentUrl is not null && e.MessageId is not null && e.HasAttachment)
        {
            await s.AddMediaAsync(e.Channel, e.ChatId, e.MessageId, e.From.Id, e.Kind.ToString(), e.AttachmentUrl, time.GetUtcNow());
        }
        if (CommandLine.Parse(e.Text) is { } command && e.Kind == InboundKind.Text)
        {
            await OnCommandAsync(s, e, command, role, where);
            return;
        }
        if (isStaffChat)
        {
            await OnStaffMessageAsync(s, e, role);
            return;
        }
        if (role >= Role.Member && !isPrivate)
        {
            await OnTeamMemberInGroupAsync(s, e, role);
            return;
        }
        await OnCitizenMessageAsync(s, e, e.Text);
    }

    /// <summary>Puts whoever writes in the staff chat on the roster; returns their roster row.</summary>
    private async Task<TeamMember> EnrolAsync(DeskSession s, InboundEvent e)
    {
        if (await s.GetMemberAsync(e.Channel, e.From.Id) is { } known)
        {
            if (known.DisplayName != e.From.DisplayName)
            {
                known.DisplayName = e.From.DisplayName;
                await s.UpsertMemberAsync(known);
            }
            return known;
        }
        var member = new TeamMember
        {
            Channel = e.Channel,
            UserId = e.From.Id,
            DisplayName = e.From.DisplayName,
            JoinedAt = time.GetUtcNow(),
            JoinedHow = "staff-chat",
        };
        await s.UpsertMemberAsync(member);
        logger.LogInformation("Enrolled {Channel} user {UserId} as a team member: they wrote in the staff chat", e.Channel, e.From.Id);
        return member;
    }

    private async Task OnCommandAsync(DeskSession s, InboundEvent e, CommandLine command, Role role, Where where)
    {
        switch (CommandCatalog.Authorize(command.Name, role, where))
        {
            case CommandCatalog.Verdict.Allowed:
                break;
            case CommandCatalog.Verdict.Unknown:
                logger.LogInformation("Unknown command /{Command} from {Channel} user {UserId}", command.Name, e.Channel, e.From.Id);
                await ReplyAsync(s, e, role >= Role.Member && where != Where.SupportGroup
                    ? texts.UnknownStaffCommand(command.Name)
                    : texts.UnknownCommandForCitizen);
                return;
            case CommandCatalog.Verdict.NeedsMember:
                logger.LogInformation("Refused /{Command} to {Channel} user {UserId}: not on the team", command.Name, e.Channel, e.From.Id);
                await ReplyAsync(s, e, texts.StaffOnly);
                return;
            case CommandCatalog.Verdict.NeedsAdmin:
                logger.LogInformation("Refused /{Command} to {Channel} user {UserId}: not an admin", command.Name, e.Channel, e.From.Id);
                await ReplyAsync(s, e, texts.AdminOnly);
                return;
            case CommandCatalog.Verdict.WrongChat:
                if (where == Where.SupportGroup)
                {
                    // Team commands typed in a public group: say nothing there, the citizens needn't see it.
                    return;
                }
                await ReplyAsync(s, e, role >= Role.Member ? texts.StaffHelp(role == Role.Admin) : texts.Welcome);
                return;
        }

        switch (command.Name)
        {
            case "start":
                await ReplyAsync(s, e, role >= Role.Member ? texts.StaffHelp(role == Role.Admin) : texts.Welcome);
                return;
            case "help":
                await ReplyAsync(s, e, role >= Role.Member && where != Where.SupportGroup ? texts.StaffHelp(role == Role.Admin) : texts.Welcome);
                return;
            case "hoi":
                if (string.IsNullOrWhiteSpace(command.Arguments))
                {
                    await ReplyAsync(s, e, texts.AskCommandNeedsText);
                    return;
                }
                await OnCitizenMessageAsync(s, e, command.Arguments, forceQuestion: true);
                return;
            default:
                var reply = await commands.RunAsync(s, e, command, role);
                if (reply is not null)
                {
                    await s.EnqueueAsync(e.Channel, e.ChatId, ChatKindOf(e), Priority.Staff, null,
                        reply with { ReplyTo = e.MessageId is null ? null : MessageRef.Remote(e.MessageId) }, time.GetUtcNow());
                }
                return;
        }
    }

    /// <summary>A village team's chat: the visit card's button, and the outcome written as a reply to it.</summary>
    private async Task OnVillageChatAsync(DeskSession s, InboundEvent e)
    {
        var member = Actor.Of(e.Channel, e.From.Id, e.From.DisplayName);
        if (e.Kind == InboundKind.Button)
        {
            var parts = (e.ButtonData ?? "").Split(':');
            if (parts is ["visit", var number] && long.TryParse(number, out var id) && await s.GetTicketAsync(id) is { } ticket)
            {
                await AnswerButtonAsync(s, e, await visits.ClaimAsync(s, ticket, member, e.ChatId, e.ButtonMessageId));
                return;
            }
            await AnswerButtonAsync(s, e, null);
            return;
        }
        if (e.ReplyToMessageId is null || string.IsNullOrWhiteSpace(e.Text)
            || await s.FindLinkAsync(e.Channel, e.ChatId, e.ReplyToMessageId) is not { Role: HelpBot.Service.Visits.CardRole } link
            || await s.GetTicketAsync(link.TicketId) is not { } visited)
        {
            return; // The village team talking among themselves.
        }
        if (await visits.RecordOutcomeAsync(s, visited, member, e.Text) is { } refusal)
        {
            await ReplyAsync(s, e, refusal, staff: true);
        }
    }

    private async Task OnStaffMessageAsync(DeskSession s, InboundEvent e, Role role)
    {
        long? ticketId = null;
        var text = e.Text;
        if (e.ReplyToMessageId is not null && await s.FindLinkAsync(e.Channel, e.ChatId, e.ReplyToMessageId) is { } link)
        {
            ticketId = link.TicketId;
        }
        else if (e.ReplyToBot && TicketNumberIn(e.ReplyToText) is { } shown)
        {
            // A reply to a card whose message id was never recorded (a crash right after sending it):
            // the card's own text says which ticket it is.
            ticketId = shown;
        }
        else if (TryHashTicket(IsNote(e.Text) ? e.Text!.TrimStart()[2..].TrimStart() : e.Text, out var number, out var rest))
        {
            ticketId = number;
            text = IsNote(e.Text) ? e.Text : rest;
        }
        if (ticketId is null)
        {
            if (e.ReplyToBot && !IsNote(e.Text) && (e.HasAttachment || !string.IsNullOrWhiteSpace(e.Text)))
            {
                // A reply to one of the bot's messages that is not a ticket's: say so rather than drop an answer.
                await ReplyAsync(s, e, texts.ReplyNotLinked, staff: true);
            }
            return; // The team talking among themselves.
        }
        if (await s.GetTicketAsync(ticketId.Value) is not { } ticket)
        {
            await ReplyAsync(s, e, texts.TicketNotFound(ticketId.Value), staff: true);
            return;
        }
        if (e.Kind is InboundKind.Sticker or InboundKind.Other || (!e.HasAttachment && string.IsNullOrWhiteSpace(text)))
        {
            return;
        }
        var member = Actor.Of(e.Channel, e.From.Id, e.From.DisplayName);
        if (IsNote(text))
        {
            // "// ..." is the team talking about the ticket among themselves: kept on the ticket, never sent.
            await desk.NoteAsync(s, ticket, member, text!.TrimStart()[2..].Trim());
            return;
        }
        var result = await desk.AnswerAsync(s, ticket, member, e, text, deliver: true);
        if (!result.Done)
        {
            await ReplyAsync(s, e, result.Message, staff: true);
        }
    }

    private async Task OnTeamMemberInGroupAsync(DeskSession s, InboundEvent e, Role role)
    {
        // A team member replying in the group to a citizen's question answers it there and then.
        if (e.ReplyToMessageId is null || await s.FindLinkAsync(e.Channel, e.ChatId, e.ReplyToMessageId) is not { } link
            || link.Role is not (LinkRoles.Question or LinkRoles.FollowUp or LinkRoles.Ack))
        {
            return;
        }
        if (await s.GetTicketAsync(link.TicketId) is not { IsOpen: true } ticket || ticket.CitizenId == e.From.Id)
        {
            return;
        }
        if (e.Kind is InboundKind.Sticker or InboundKind.Other || (!e.HasAttachment && string.IsNullOrWhiteSpace(e.Text)))
        {
            return;
        }
        var result = await desk.AnswerAsync(s, ticket, Actor.Of(e.Channel, e.From.Id, e.From.DisplayName), e, e.Text, deliver: false);
        if (!result.Done)
        {
            logger.LogInformation("Team member {UserId} answered ticket {TicketId} in the group but could not: {Reason}", e.From.Id, ticket.Id, result.Message);
        }
    }

    private async Task OnCitizenMessageAsync(DeskSession s, InboundEvent e, string? text, bool forceQuestion = false)
    {
        var isPrivate = e.ChatKind == ChatKinds.Private;
        var conversation = await s.GetConversationAsync(e.Channel, e.ChatId, e.From.Id);
        var talk = new ConversationMachine(conversation);

        // A reply to one of this citizen's ticket messages joins that ticket while it is open.
        Ticket? replied = null;
        if (e.ReplyToMessageId is not null && await s.FindLinkAsync(e.Channel, e.ChatId, e.ReplyToMessageId) is { } link)
        {
            replied = await s.GetTicketAsync(link.TicketId);
            if (replied is not null && replied.CitizenId != e.From.Id)
            {
                replied = null;
            }
        }
        Ticket? open = replied is { IsOpen: true } ? replied
            : talk.OpenTicketId is { } openId ? await s.GetTicketAsync(openId) : null;
        if (open is { IsOpen: false })
        {
            open = null;
        }

        var intent = forceQuestion ? MessageIntent.Question
            : e.Kind is InboundKind.Sticker or InboundKind.Other ? MessageIntent.SmallTalk
            : e.HasAttachment && string.IsNullOrWhiteSpace(text) ? MessageIntent.Question
            : QuestionDetector.Classify(text, e.MentionsBot, e.ReplyToBot || replied is not null);

        if (open is not null)
        {
            var joins = intent == MessageIntent.Question || (isPrivate && intent == MessageIntent.Chatter) || replied is not null && intent != MessageIntent.SmallTalk;
            if (joins)
            {
                await desk.FollowUpAsync(s, open, e, asksAgain: intent == MessageIntent.Question && !IsThanks(text));
            }
            else if (isPrivate && open.State == TicketState.Answered && IsThanks(text))
            {
                await ReplyAsync(s, e, texts.YouAreWelcome);
            }
            return;
        }

        if (e.HasAttachment && string.IsNullOrWhiteSpace(text) && !forceQuestion)
        {
            talk.SentAttachmentAlone(e.MessageId ?? "");
            await s.SaveConversationAsync(conversation, time.GetUtcNow());
            await ReplyAsync(s, e, texts.AskWhatIsNeeded);
            return;
        }

        var pending = talk.PendingAttachment;
        var opens = intent == MessageIntent.Question
            || (intent == MessageIntent.Chatter && (isPrivate || pending is not null));
        if (!opens)
        {
            if (isPrivate)
            {
                await ReplyAsync(s, e,
                    string.IsNullOrWhiteSpace(text) && e.Kind == InboundKind.Text ? texts.EmptyMessage
                    : IsThanks(text) ? texts.YouAreWelcome
                    : texts.SmallTalkReply);
            }
            return;
        }
        await desk.OpenAsync(s, e, text ?? "", string.IsNullOrEmpty(pending) ? null : pending, conversation);
    }

    private async Task OnButtonAsync(DeskSession s, InboundEvent e, Role role)
    {
        // "claim:12", "solved:12", "rate:12:5".
        var parts = (e.ButtonData ?? "").Split(':');
        var score = 0;
        if (parts.Length is < 2 or > 3
            || !long.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            || (parts.Length == 3 && (!int.TryParse(parts[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out score) || score is < 1 or > 5)))
        {
            logger.LogWarning("Unrecognised button data from {Channel} user {UserId}", e.Channel, e.From.Id);
            await AnswerButtonAsync(s, e, null);
            return;
        }
        var action = parts[0];
        if (await s.GetTicketAsync(id) is not { } ticket)
        {
            await AnswerButtonAsync(s, e, texts.TicketNotFound(id));
            return;
        }
        var actor = Actor.Of(e.Channel, e.From.Id, e.From.DisplayName);
        switch (action)
        {
            case "claim" when chats.IsStaffChat(e.Channel, e.ChatId):
                await AnswerButtonAsync(s, e, (await desk.ClaimAsync(s, ticket, actor)).Message);
                return;
            case "unclaim" when chats.IsStaffChat(e.Channel, e.ChatId):
                await AnswerButtonAsync(s, e, (await desk.UnclaimAsync(s, ticket, actor, role == Role.Admin)).Message);
                return;
            case "solved" or "unsolved":
                await OnFeedbackAsync(s, e, ticket, actor, solved: action == "solved");
                return;
            case "help" when ticket.CitizenId == e.From.Id && ticket.Channel == e.Channel:
                await AnswerButtonAsync(s, e, (await desk.NeedsHelpAsync(s, ticket, actor)).Message);
                await RemoveButtonsAsync(s, e, ticket);
                return;
            case "rate" when score > 0 && ticket.CitizenId == e.From.Id && ticket.Channel == e.Channel && ticket.State == TicketState.Resolved:
                await AnswerButtonAsync(s, e, (await desk.RateAsync(s, ticket, actor, score)).Message);
                await RemoveButtonsAsync(s, e, ticket);
                return;
            case "help" or "rate":
                await AnswerButtonAsync(s, e, texts.ButtonNotForYou);
                return;
            default:
                await AnswerButtonAsync(s, e, null);
                return;
        }
    }

    private async Task OnFeedbackAsync(DeskSession s, InboundEvent e, Ticket ticket, Actor actor, bool solved)
    {
        if (ticket.CitizenId != e.From.Id || ticket.Channel != e.Channel)
        {
            await AnswerButtonAsync(s, e, texts.ButtonNotForYou);
            return;
        }
        if (solved)
        {
            if (ticket.State == TicketState.Answered)
            {
                await desk.ResolveAsync(s, ticket, actor, "citizen", byCitizen: true);
                await desk.AskRatingAsync(s, ticket, e.ButtonMessageId);
            }
            else if (ticket.State != TicketState.Resolved)
            {
                await AnswerButtonAsync(s, e, ticket.State == TicketState.Cancelled ? texts.ButtonOutdated : texts.StillWorkingOnIt);
                return;
            }
            await AnswerButtonAsync(s, e, texts.ThanksForFeedback(ticket.Id));
        }
        else
        {
            if (ticket.State is TicketState.Answered or TicketState.Resolved)
            {
                await desk.ReopenAsync(s, ticket, actor, "citizen", byCitizen: true);
            }
            else if (ticket.State != TicketState.Reopened)
            {
                await AnswerButtonAsync(s, e, ticket.State == TicketState.Cancelled ? texts.ButtonOutdated : texts.StillWorkingOnIt);
                return;
            }
            await AnswerButtonAsync(s, e, texts.WillLookAgain(ticket.Id));
        }
        await RemoveButtonsAsync(s, e, ticket);
    }

    /// <summary>The choice is made: take the buttons off so nobody presses them again by mistake.</summary>
    private async Task RemoveButtonsAsync(DeskSession s, InboundEvent e, Ticket ticket)
    {
        if (e.ButtonMessageId is not null)
        {
            await s.EnqueueAsync(e.Channel, e.ChatId, ChatKindOf(e), Priority.Answer, ticket.Id, new OutboundMessage
            {
                Kind = OutboundKind.Edit,
                Target = MessageRef.Remote(e.ButtonMessageId),
                Buttons = [],
            }, time.GetUtcNow());
        }
    }

    private Task AnswerButtonAsync(DeskSession s, InboundEvent e, string? notice) =>
        // A choice typed as a number (channels without buttons) has no press to acknowledge: the notice is a message.
        e.ButtonQueryId is null
            ? notice is null ? Task.CompletedTask : ReplyAsync(s, e, notice)
            : s.EnqueueAsync(e.Channel, e.ChatId, ChatKindOf(e), Priority.Answer, null, new OutboundMessage
        {
            Kind = OutboundKind.ButtonAnswer,
            ButtonQueryId = e.ButtonQueryId,
            Text = notice,
        }, time.GetUtcNow());

    private Task ReplyAsync(DeskSession s, InboundEvent e, string text, bool staff = false) =>
        s.EnqueueAsync(e.Channel, e.ChatId, ChatKindOf(e), staff ? Priority.Staff : Priority.Acknowledgement, null, new OutboundMessage
        {
            Kind = OutboundKind.Text,
            Text = text,
            ReplyTo = e.MessageId is null ? null : MessageRef.Remote(e.MessageId),
        }, time.GetUtcNow());

    private string ChatKindOf(InboundEvent e) => chats.IsStaffChat(e.Channel, e.ChatId) ? ChatKinds.Staff : e.ChatKind;

    private static bool IsNote(string? text) => text is not null && text.TrimStart().StartsWith("//", StringComparison.Ordinal);

    private static bool IsThanks(string? text)
    {
        var folded = VietnameseText.Fold(text);
        return QuestionDetector.IsSmallTalk(folded)
            && (VietnameseText.ContainsPhrase(folded, "cam on") || VietnameseText.ContainsPhrase(folded, "thanks")
                || VietnameseText.ContainsPhrase(folded, "thank") || VietnameseText.ContainsPhrase(folded, "tks")
                || VietnameseText.ContainsPhrase(folded, "camon") || VietnameseText.ContainsPhrase(folded, "cmon"));
    }

    /// <summary>The ticket number a card shows in its first line ("Phiếu #12 ·").</summary>
    internal static long? TicketNumberIn(string? cardText)
    {
        const string marker = "Phiếu #";
        var at = cardText?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
        if (at < 0)
        {
            return null;
        }
        var start = at + marker.Length;
        var end = start;
        while (end < cardText!.Length && char.IsAsciiDigit(cardText[end]))
        {
            end++;
        }
        return end > start && long.TryParse(cardText.AsSpan(start, end - start), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : null;
    }

    /// <summary>"#12 nội dung" in the staff chat answers ticket 12 without replying to its card.</summary>
    internal static bool TryHashTicket(string? text, out long ticket, out string rest)
    {
        ticket = 0;
        rest = "";
        if (text is null || text.Length < 3 || text[0] != '#')
        {
            return false;
        }
        var end = 1;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }
        if (end == 1 || end >= text.Length || !char.IsWhiteSpace(text[end])
            || !long.TryParse(text.AsSpan(1, end - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ticket))
        {
            return false;
        }
        rest = text[end..].Trim();
        return rest.Length > 0;
    }
}
